import { type WebSocketRoute } from '@playwright/test';
import { expect, test, createRoomAs, joinRoomAs, messageList, sendMessage } from './support';

test('after a dropped connection it rejoins and shows what it missed, with no gap and no duplicate', async ({
  browser,
}) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();

  // Alice's socket.io traffic goes through a switch the test can open: websocket and the polling fallback alike.
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
  await sendMessage(bob, 'before the drop');
  await expect(messageList(alice).getByText('before the drop')).toBeVisible();

  cut = true;
  for (const ws of open.splice(0)) await ws.close();
  await expect(alice.getByText('Connection lost. Reconnecting…')).toBeVisible();
  await expect(bob.locator('li.offline').filter({ hasText: 'alice' })).toBeVisible();

  await sendMessage(bob, 'missed one');
  await sendMessage(bob, 'missed two');
  cut = false;

  await expect(alice.getByText('Connection lost. Reconnecting…')).toBeHidden({ timeout: 15_000 });
  await expect(messageList(alice).locator('.msg .text')).toHaveText(['before the drop', 'missed one', 'missed two']);

  await sendMessage(alice, 'back again');
  await expect(messageList(bob).locator('.msg .text')).toHaveText([
    'before the drop',
    'missed one',
    'missed two',
    'back again',
  ]);
});
