import { expect, test, baseUrl, createRoomAs, idleServerUrl } from './support';

test('an unknown room link shows "room not found or expired"', async ({ page }) => {
  await page.goto(`${baseUrl()}/r/AAAAAAAAAAAAAAAAAAAAAA`);
  await expect(page.getByRole('heading', { name: 'Room not found or expired' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create a new room' })).toBeVisible();
  await expect(page.getByLabel('Your nick')).toHaveCount(0);
});

test('a room that goes idle says so above its conversation, and a new room can be created from it', async ({
  page,
}) => {
  const firstUrl = await createRoomAs(page, 'idler', idleServerUrl());
  await expect(page.getByText('Closes after 2 s without activity')).toBeVisible();

  await expect(
    page.getByRole('alert').filter({ hasText: 'This room closed because nobody wrote anything' }),
  ).toBeVisible({ timeout: 10_000 });

  await page.getByRole('button', { name: 'Create a new room' }).click();
  await expect(page).not.toHaveURL(firstUrl);
  await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  await expect(page.getByLabel('Message', { exact: true })).toBeVisible();
});
