/** Who is here: quiet join / leave / offline lines for those present, and "unknown" while we are disconnected. */
import { type Page, type WebSocketRoute } from '@playwright/test';
import { expect, test, createRoomAs, joinRoomAs, messageList, sendMessage } from './support';

const PHONE = { width: 360, height: 640 };

test.describe.configure({ timeout: 120_000 });

function systemLines(page: Page) {
  return messageList(page).locator('li.system');
}

async function leave(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Leave room' }).click();
  await page.getByRole('group', { name: 'Leave this room?' }).getByRole('button', { name: 'Leave' }).click();
  await expect(page.getByRole('button', { name: 'Create a room' })).toBeVisible();
}

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', PHONE],
] as const) {
  test(`${label}: joins and leaves show as quiet lines for those present, between the messages, never stored`, async ({
    browser,
  }) => {
    const alice = await (await browser.newContext({ viewport })).newPage();
    const bob = await (await browser.newContext()).newPage();
    const roomUrl = await createRoomAs(alice, 'alice');
    await sendMessage(alice, 'before bob');
    await joinRoomAs(bob, roomUrl, 'bob');
    await expect(systemLines(alice)).toHaveText([/^bob joined/]);
    await sendMessage(bob, 'hi from bob');
    await leave(bob);
    await expect(systemLines(alice)).toHaveText([/^bob joined/, /^bob left/]);
    // In the conversation's order, and not a message of anyone's.
    await expect(messageList(alice).getByRole('listitem')).toHaveText([
      /before bob/,
      /^bob joined/,
      /hi from bob/,
      /^bob left/,
    ]);
    await expect(systemLines(alice).locator('.status')).toHaveCount(0);
    const widths = await alice.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0);

    // Nobody gets told about their own arrival, and a newcomer sees no lines from before them: none are stored.
    const carol = await (await browser.newContext()).newPage();
    await joinRoomAs(carol, roomUrl, 'carol');
    await expect(messageList(carol).getByText('hi from bob')).toBeVisible();
    await expect(systemLines(carol)).toHaveCount(0);
    await expect(systemLines(alice)).toHaveText([/^bob joined/, /^bob left/, /^carol joined/]);
    await alice.reload();
    await expect(messageList(alice).getByText('hi from bob')).toBeVisible();
    await expect(systemLines(alice)).toHaveCount(0);
  });
}

test('a member offline for more than a minute gets a line; a shorter absence does not', async ({ browser }) => {
  // It waits out the real minute: the rule is about wall-clock time, and faking timers would also fake socket.io's.
  test.setTimeout(180_000);
  const alice = await (await browser.newContext()).newPage();
  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  const roomUrl = await createRoomAs(alice, 'alice');
  await joinRoomAs(bob, roomUrl, 'bob');
  await expect(systemLines(alice)).toHaveText([/^bob joined/]);
  await bobContext.close();
  await expect(alice.locator('li.offline').filter({ hasText: 'bob' })).toBeVisible();
  // Thirty seconds in: still nothing (a short absence is not news).
  await alice.waitForTimeout(30_000);
  await expect(systemLines(alice)).toHaveCount(1);
  await expect(systemLines(alice).last()).toHaveText(/^bob has been offline for a minute/, { timeout: 45_000 });
});

test('while disconnected, presence shows as unknown in the header and for every member, then comes back', async ({
  browser,
}) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  // Alice's socket.io traffic goes through a switch the test can open (as in reconnect.spec.ts).
  let cut = false;
  const open: WebSocketRoute[] = [];
  await alice.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (cut) {
      void ws.close();
      return;
    }
    ws.connectToServer();
    open.push(ws);
  });
  await alice.route(/\/socket\.io\//, (route) => (cut ? route.abort() : route.continue()));
  const roomUrl = await createRoomAs(alice, 'alice');
  await joinRoomAs(bob, roomUrl, 'bob');
  const members = alice.getByRole('list', { name: /^Members/ }).getByRole('listitem');
  await expect(alice.locator('.summary')).toContainText('2 online');
  await expect(members.filter({ hasText: 'bob' })).toContainText('online');

  cut = true;
  for (const ws of open.splice(0)) await ws.close();
  await expect(alice.getByText('Connection lost. Reconnecting…')).toBeVisible();
  await expect(alice.locator('.summary')).toContainText('unknown');
  await expect(alice.locator('.summary')).not.toContainText(/\d+ online/);
  await expect(alice.getByRole('heading', { name: /Members/ })).toContainText('online unknown');
  await expect(members).toHaveText([/alice.*presence unknown/, /bob.*presence unknown/]);
  // Written meanwhile: it waits, says why, and goes out by itself once we are back.
  await sendMessage(alice, 'written in the tunnel');
  await expect(messageList(alice).locator('.msg.own .status')).toHaveText('waiting for connection');

  cut = false;
  // socket.io's own backoff (up to 7.5 s) plus a loaded machine: the way back may take a while.
  await expect(alice.locator('.summary')).toContainText('2 online', { timeout: 30_000 });
  await expect(members.filter({ hasText: 'bob' })).toContainText(/online$/);
  await expect(messageList(bob).getByText('written in the tunnel')).toBeVisible();
  await expect(messageList(alice).locator('.msg.own .status')).toHaveText('sent');
  await expect(alice.getByRole('button', { name: 'Retry' })).toHaveCount(0);
});
