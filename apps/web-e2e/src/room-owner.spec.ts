/** Room owners without accounts (AUTH_MODE=none): the creating browser keeps the owner key and can close the room. */
import { expect, test, baseUrl, composer, createRoomAs, joinRoomAs, messageList, sendMessage } from './support';

test('the creator sees the room under "My rooms" with a live countdown, closes it, and every member sees why', async ({
  browser,
}) => {
  test.setTimeout(60_000); // four pages and a lobby reload
  const owner = await (await browser.newContext()).newPage();
  const guest = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(owner, 'owner');
  const roomId = roomUrl.split('/r/')[1] ?? '';
  await joinRoomAs(guest, roomUrl, 'guest');
  await sendMessage(guest, 'hello before the close');

  // Only the creator is offered the close; the guest's browser has no owner key.
  await expect(owner.getByRole('button', { name: 'Close room…' })).toBeAttached();
  await expect(guest.getByRole('button', { name: 'Close room…' })).toHaveCount(0);

  // The lobby lists the creator's live room, and the countdown moves.
  const lobby = await owner.context().newPage();
  await lobby.goto(`${baseUrl()}/`);
  const mine = lobby.getByTestId('my-rooms');
  await expect(mine.getByRole('link', { name: `Open room ${roomId}` })).toBeVisible();
  const first = await mine.getByText(/closes in/).textContent();
  await expect.poll(async () => mine.getByText(/closes in/).textContent(), { timeout: 5_000 }).not.toBe(first);
  const guestLobby = await guest.context().newPage();
  await guestLobby.goto(`${baseUrl()}/`);
  await guestLobby.waitForLoadState('networkidle');
  await expect(guestLobby.getByTestId('my-rooms')).toHaveCount(0);

  // Closing asks first, then ends the room for everyone with the owner's reason.
  await owner.bringToFront();
  const details = owner.getByRole('button', { name: /Invite/ });
  if (await details.isVisible()) await details.click();
  await owner.getByRole('button', { name: 'Close room…' }).click();
  await owner.getByRole('button', { name: 'Close for everyone' }).click();
  for (const page of [owner, guest]) {
    await expect(page.locator('.ended-banner')).toContainText('The person who created this room closed it.');
    await expect(messageList(page).getByText('hello before the close')).toBeVisible();
    await expect(composer(page)).toHaveAttribute('readonly', '');
  }

  // Gone at once: the link now answers "not found", and "My rooms" forgets it.
  const late = await (await browser.newContext()).newPage();
  await late.goto(roomUrl);
  await expect(late.getByTestId('room-ended')).toContainText('Room not found');
  await lobby.reload();
  await expect(lobby.getByRole('link', { name: `Open room ${roomId}` })).toHaveCount(0);
});

test('with AUTH_MODE=none the lobby shows no sign-in', async ({ page }) => {
  await page.goto(`${baseUrl()}/`);
  await expect(page.getByRole('heading', { name: 'tiny-chat', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create a room' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
});
