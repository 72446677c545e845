import { expect, test, composer, createRoomAs, joinRoomAs, messageList, sendMessage } from './support';

test('typing shows at the other person both ways, and goes when the message arrives', async ({ browser }) => {
  const ana = await (await browser.newContext()).newPage();
  const ben = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(ana, 'Ana');
  await joinRoomAs(ben, roomUrl, 'Ben');
  await expect(ana.getByRole('listitem').filter({ hasText: 'Ben' }).first()).toBeVisible();

  await composer(ana).pressSequentially('hel');
  await expect(ben.locator('.typing')).toHaveText('Ana is typing...');
  await expect(ana.locator('.typing')).toHaveText('');
  await composer(ana).press('Enter');
  await expect(messageList(ben).getByRole('listitem').filter({ hasText: 'hel' })).toBeVisible();
  await expect(ben.locator('.typing')).toHaveText('');

  await composer(ben).pressSequentially('hi Ana');
  await expect(ana.locator('.typing')).toHaveText('Ben is typing...');
  // Nothing more typed: the line goes 5 s after the last room:typing.
  await expect(ana.locator('.typing')).toHaveText('', { timeout: 9000 });
  await composer(ben).press('Enter');
  await expect(messageList(ana).getByRole('listitem').filter({ hasText: 'hi Ana' })).toBeVisible();
  await sendMessage(ana, 'typing never got in the way');
  await expect(messageList(ben).getByRole('listitem').filter({ hasText: 'never got in the way' })).toBeVisible();
});
