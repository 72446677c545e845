/** A room that ends keeps what people had: the conversation, the draft, and the true reason (idle, or a restart). */
import { type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { freePort, startServer } from './global-setup';
import { expect, test, composer, createRoomAs, idleServerUrl, messageList, sendMessage } from './support';

test.describe.configure({ timeout: 120_000 });

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
}

function banner(page: Page) {
  return page.locator('.ended-banner');
}

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 360, height: 640 }],
] as const) {
  test(`${label}: an idle room warns with "Keep this room open", then closes keeping its conversation and the draft`, async ({
    browser,
  }) => {
    const page = await (await browser.newContext({ viewport })).newPage();
    await createRoomAs(page, 'keeper', idleServerUrl());
    // On this server rooms close after 2 s without activity: the warning is up at once.
    const warning = page.getByRole('alert').filter({ hasText: 'This room closes in' });
    await expect(warning.getByRole('button', { name: 'Keep this room open' })).toBeVisible();
    await sendMessage(page, 'something worth keeping');
    await composer(page).fill('my unsent draft');
    await expect(banner(page)).toContainText('closed because nobody wrote anything', { timeout: 15_000 });
    await expect(messageList(page).getByText('something worth keeping')).toBeVisible();
    await expect(composer(page)).toHaveValue('my unsent draft');
    await expect(composer(page)).toHaveAttribute('readonly', '');
    await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
    await expect(banner(page).getByRole('button', { name: 'Create a new room' })).toBeVisible();
    // Still selectable, to copy it elsewhere.
    await composer(page).selectText();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
  });
}

test('a room lost to a server restart (memory store) says so, keeping its conversation', async ({ page }) => {
  const port = await freePort();
  let server = await startServer({}, port);
  try {
    await createRoomAs(page, 'survivor', server.url);
    await sendMessage(page, 'before the restart');
    await expect(messageList(page).locator('.msg.own .status')).toHaveText('sent');
    await stop(server.child);
    await expect(page.locator('.summary')).toContainText('unknown', { timeout: 15_000 });
    server = await startServer({}, port);
    await expect(banner(page)).toContainText('lost when the server restarted', { timeout: 30_000 });
    await expect(messageList(page).getByText('before the restart')).toBeVisible();
  } finally {
    await stop(server.child);
  }
});
