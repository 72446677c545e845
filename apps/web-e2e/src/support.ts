/** Shared steps for the browser tests: server URLs, entering rooms the way a person does, watching for CSP reports. */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The suite's `test`: every browser context a test opened is closed when it ends, so pages, timers and sockets
 * do not pile up over the run (they all connect from 127.0.0.1 and would slow the later tests down).
 */
export const test = base.extend<{ closeContexts: void }>({
  closeContexts: [
    async ({ browser }, use) => {
      await use();
      await Promise.all(browser.contexts().map((context) => context.close()));
    },
    { auto: true },
  ],
});
export { expect };

export function baseUrl(): string {
  const url = process.env['E2E_BASE_URL'];
  if (!url) throw new Error('E2E_BASE_URL is not set: global-setup did not run');
  return url;
}

export function idleServerUrl(): string {
  const url = process.env['E2E_IDLE_URL'];
  if (!url) throw new Error('E2E_IDLE_URL is not set: global-setup did not run');
  return url;
}

export function limitedServerUrl(): string {
  const url = process.env['E2E_LIMITED_URL'];
  if (!url) throw new Error('E2E_LIMITED_URL is not set: global-setup did not run');
  return url;
}

/** Records CSP violations (DOM event and console report) and uncaught page errors from the first script on. */
export async function watchForProblems(page: Page): Promise<{ csp: string[]; errors: string[] }> {
  const found = { csp: [] as string[], errors: [] as string[] };
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const w = window as unknown as { __csp?: string[] };
      (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) found.csp.push(message.text());
  });
  page.on('pageerror', (error) => found.errors.push(error.message));
  return found;
}

export async function domCspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

export function composer(page: Page) {
  return page.getByLabel('Message', { exact: true });
}

export function messageList(page: Page) {
  return page.getByRole('list', { name: 'Messages' });
}

/** Lobby -> "Create a room" with a nick -> in the room, ready to write. Returns the room URL. */
export async function createRoomAs(page: Page, nick: string, server = baseUrl()): Promise<string> {
  await page.goto(`${server}/`);
  await page.getByLabel('Your nick').fill(nick);
  await page.getByRole('button', { name: 'Create a room' }).click();
  await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  await expect(composer(page)).toBeVisible();
  return page.url();
}

/** Opens a room link, answers the only question (the nick) and lands in the room. */
export async function joinRoomAs(page: Page, roomUrl: string, nick: string): Promise<void> {
  await page.goto(roomUrl);
  await page.getByLabel('Your nick').fill(nick);
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(composer(page)).toBeVisible();
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(composer(page)).toHaveValue('');
}

export function screenshotPath(name: string): string | null {
  if (process.env['SCREENSHOTS'] !== '1') return null;
  const dir = resolve(__dirname, '../../../docs/screenshots');
  mkdirSync(dir, { recursive: true });
  return resolve(dir, name);
}
