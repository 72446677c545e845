/**
 * axe-core (from npm, loaded into the page) finds no violation of any impact on each screen, light and dark.
 * The app's CSP forbids injected scripts, so these contexts bypass it: only axe itself is let in that way.
 */
import { type Browser, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { expect, test, baseUrl, createRoomAs, idleServerUrl, joinRoomAs, messageList, sendMessage } from './support';

const AXE_PATH = require.resolve('axe-core/axe.min.js');
const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 800 };

test.describe.configure({ timeout: 120_000 });

/** Every violation axe reports, whatever its impact, as "rule: selector" lines (empty when the page is clean). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(() => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<AxeResults> } }).axe;
    return axe.run(document);
  });
  return results.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact ?? 'no impact'}): ${n.target.join(' ')} ${n.failureSummary ?? ''}`),
  );
}

async function open(browser: Browser, colorScheme: 'light' | 'dark', viewport = DESKTOP): Promise<Page> {
  const page = await (await browser.newContext({ bypassCSP: true, viewport })).newPage();
  await page.emulateMedia({ colorScheme });
  return page;
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} colours`, () => {
    test('the lobby and the not-found page have no axe violations', async ({ browser }) => {
      const page = await open(browser, colorScheme);
      await page.goto(`${baseUrl()}/`);
      await expect(page.getByRole('button', { name: 'Create a room' })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);

      await page.goto(`${baseUrl()}/r/AAAAAAAAAAAAAAAAAAAAAA`);
      await expect(page.getByRole('heading', { name: 'Room not found or expired' })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });

    test('a room with a conversation, on a desktop and on a phone with and without its panel, has no axe violations', async ({
      browser,
    }) => {
      const page = await open(browser, colorScheme);
      const roomUrl = await createRoomAs(page, 'ada');
      const friend = await open(browser, colorScheme, PHONE);
      await joinRoomAs(friend, roomUrl, 'grace');
      await sendMessage(page, 'Hello, see www.example.org');
      await sendMessage(friend, 'Hi there');
      await expect(messageList(page).locator('li.system')).toHaveCount(1);
      await expect(messageList(friend).getByText('Hello, see')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);

      expect(await axeViolations(friend)).toEqual([]);
      await friend.getByRole('button', { name: 'Invite & members' }).click();
      await expect(friend.getByRole('complementary', { name: 'Room details' })).toBeVisible();
      expect(await axeViolations(friend)).toEqual([]);
      await friend.getByRole('button', { name: 'Leave room' }).click();
      await expect(friend.getByRole('group', { name: 'Leave this room?' })).toBeVisible();
      expect(await axeViolations(friend)).toEqual([]);
      await page.context().close();
      await friend.context().close();
    });

    test('a closed room, its conversation and draft kept, has no axe violations', async ({ browser }) => {
      const page = await open(browser, colorScheme);
      await createRoomAs(page, 'closer', idleServerUrl());
      await sendMessage(page, 'kept after closing');
      await expect(page.locator('.ended-banner')).toBeVisible({ timeout: 15_000 });
      await expect(messageList(page).getByText('kept after closing')).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    });
  });
}
