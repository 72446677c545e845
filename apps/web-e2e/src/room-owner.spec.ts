/** The browser that created a room (it keeps the owner key) can close it for everybody, after confirming. */
import { expect, test } from '@playwright/test';
import { createRoomAs, joinRoomAs, messageList, sendMessage } from './support';

test('the creator closes the room after confirming; every member sees it was closed by its owner', async ({
  browser,
}) => {
  const owner = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(owner, 'host');
  const guest = await (await browser.newContext()).newPage();
  await joinRoomAs(guest, roomUrl, 'guest');
  await sendMessage(guest, 'hello before closing');
  // Only the browser holding the owner key is offered the button.
  await expect(guest.getByRole('button', { name: 'Close room' })).toHaveCount(0);
  await owner.getByRole('button', { name: 'Close room' }).click();
  const confirm = owner.getByRole('group', { name: 'Close this room for everybody?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Keep it open' }).click();
  await expect(confirm).toHaveCount(0);
  await owner.getByRole('button', { name: 'Close room' }).click();
  await owner
    .getByRole('group', { name: 'Close this room for everybody?' })
    .getByRole('button', { name: 'Close room' })
    .click();
  for (const page of [owner, guest]) {
    await expect(page.locator('.ended-banner')).toContainText('owner closed', { timeout: 10_000 });
    await expect(messageList(page).getByText('hello before closing')).toBeVisible();
  }
  expect(
    await owner.evaluate((url) => localStorage.getItem(`tiny-chat:owner:${url.split('/r/')[1]}`), roomUrl),
  ).toBeNull();
});
