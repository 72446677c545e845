/** The phone's "Invite & members" panel: a way back, Escape, focus that follows it, and the whole link at hand. */
import { expect, test, composer, createRoomAs } from './support';

const PHONE = { width: 360, height: 640 };

test.describe('on a 360 x 640 phone', () => {
  test.use({ viewport: PHONE, permissions: ['clipboard-read', 'clipboard-write'] });

  test('the panel takes focus, closes with its button or Escape, gives focus back, and shows the whole link', async ({
    page,
  }) => {
    const roomUrl = await createRoomAs(page, 'panel');
    const toggle = page.getByRole('button', { name: 'Invite & members' });
    const panel = page.getByRole('complementary', { name: 'Room details' });
    const close = panel.getByRole('button', { name: 'Close', exact: true });
    await expect(panel).toBeHidden();

    await toggle.click();
    await expect(panel).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(close).toBeFocused();
    await expect(close).toBeInViewport();

    // The whole link is on screen: nothing scrolled away inside the field, nothing past the phone's edge.
    const link = panel.getByLabel('Room link', { exact: true });
    await expect(link).toHaveValue(roomUrl);
    const fits = await link.evaluate((el: HTMLTextAreaElement) => {
      const box = el.getBoundingClientRect();
      return {
        inside: el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1,
        onScreen: box.left >= 0 && box.right <= window.innerWidth,
      };
    });
    expect(fits).toEqual({ inside: true, onScreen: true });
    // One tap copies it.
    await panel.getByRole('button', { name: 'Copy link' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(roomUrl);

    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(toggle).toBeFocused();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(composer(page)).toBeVisible();

    await page.keyboard.press('Enter');
    await expect(close).toBeFocused();
    await close.click();
    await expect(panel).toBeHidden();
    await expect(toggle).toBeFocused();
  });
});

test('on a desktop the details sit beside the conversation, with no Close button to get lost in', async ({ page }) => {
  await createRoomAs(page, 'wide');
  const panel = page.getByRole('complementary', { name: 'Room details' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Close', exact: true })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Invite & members' })).toBeHidden();
});
