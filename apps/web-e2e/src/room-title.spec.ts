import { expect, test, baseUrl, composer, joinRoomAs } from './support';

test('a room title from the lobby shows in the header and the tab title for everyone', async ({ browser }) => {
  const ana = await (await browser.newContext()).newPage();
  const ben = await (await browser.newContext()).newPage();
  await ana.goto(`${baseUrl()}/`);
  await ana.getByLabel('Your nick').fill('Ana');
  await ana.getByLabel(/Room title/).fill('  Friday plans 🎉 ');
  await ana.getByRole('button', { name: 'Create a room' }).click();
  await expect(ana).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  await expect(composer(ana)).toBeVisible();
  await expect(ana.locator('.room-title')).toHaveText('Friday plans 🎉');
  await expect(ana).toHaveTitle('Friday plans 🎉 · tiny-chat');

  await joinRoomAs(ben, ana.url(), 'Ben');
  await expect(ben.locator('.room-title')).toHaveText('Friday plans 🎉');
  await expect(ben).toHaveTitle('Friday plans 🎉 · tiny-chat');
});

test('a room without a title shows none', async ({ page }) => {
  await page.goto(`${baseUrl()}/`);
  await page.getByLabel('Your nick').fill('Cy');
  await page.getByRole('button', { name: 'Create a room' }).click();
  await expect(composer(page)).toBeVisible();
  await expect(page.locator('.room-title')).toHaveCount(0);
  await expect(page).toHaveTitle('tiny-chat');
});
