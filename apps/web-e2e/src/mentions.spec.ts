import type { Page } from '@playwright/test';
import { composer, createRoomAs, expect, joinRoomAs, messageList, sendMessage, test } from './support';

/**
 * Records every Notification made and every permission request, and lets the test hide and show the tab (headless
 * Chromium's tabs are always visible). The real Notification API stays underneath.
 */
async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as {
      __notes: { title: string; body: string }[];
      __asks: number;
      __setHidden: (hidden: boolean) => void;
    };
    w.__notes = [];
    w.__asks = 0;
    const Real = window.Notification;
    window.Notification = new Proxy(Real, {
      construct(target, args: [string, NotificationOptions?]) {
        w.__notes.push({ title: args[0], body: args[1]?.body ?? '' });
        return new target(...args);
      },
      get(target, name) {
        if (name === 'requestPermission') {
          return () => {
            w.__asks += 1;
            return Promise.resolve(target.permission);
          };
        }
        return Reflect.get(target, name) as unknown;
      },
    });
    let hidden = false;
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    w.__setHidden = (value) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
}

const notes = (page: Page) =>
  page.evaluate(() => (window as unknown as { __notes: { title: string; body: string }[] }).__notes);
const asks = (page: Page) => page.evaluate(() => (window as unknown as { __asks: number }).__asks);
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((value) => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(value), hidden);

test('@ offers member nicks in the composer, and the mention is highlighted for everyone, marked for me', async ({
  browser,
}) => {
  const ana = await (await browser.newContext()).newPage();
  const ben = await (await browser.newContext()).newPage();
  const cy = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(ana, 'Ana');
  await joinRoomAs(ben, roomUrl, 'Ben');
  await joinRoomAs(cy, roomUrl, 'Anabel');
  await expect(ben.locator('#room-info').getByText('Anabel')).toBeVisible();

  await composer(ben).pressSequentially('hey @an');
  const options = ben.getByRole('listbox', { name: 'Members to mention' }).getByRole('option');
  await expect(options).toHaveText(['Ana', 'Anabel']);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await composer(ben).press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await composer(ben).press('ArrowUp');
  await composer(ben).press('Tab');
  await expect(composer(ben)).toHaveValue('hey @Ana ');
  await composer(ben).pressSequentially('and @anab');
  await composer(ben).press('Enter');
  await expect(composer(ben)).toHaveValue('hey @Ana and @Anabel ');
  // A click takes a nick too; Escape closes the list without taking one.
  await composer(ben).pressSequentially('@');
  await ben.getByRole('option', { name: 'Ana', exact: true }).click();
  await expect(composer(ben)).toHaveValue('hey @Ana and @Anabel @Ana ');
  await composer(ben).pressSequentially('@Ben');
  await expect(ben.getByRole('listbox', { name: 'Members to mention' })).toHaveCount(0); // Ben is not offered to Ben
  for (let i = 0; i < 4; i++) await composer(ben).press('Backspace');
  await composer(ben).pressSequentially('look');
  await composer(ben).press('Enter');

  const line = messageList(ana).getByRole('listitem').filter({ hasText: 'look' });
  await expect(line).toHaveClass(/mentions-me/);
  await expect(line.locator('mark.mention')).toHaveText(['@Ana', '@Anabel', '@Ana']);
  await expect(line.locator('mark.mention.me')).toHaveText(['@Ana', '@Ana']);
  const atCy = messageList(cy).getByRole('listitem').filter({ hasText: 'look' });
  await expect(atCy).toHaveClass(/mentions-me/);
  await expect(atCy.locator('mark.mention.me')).toHaveText(['@Anabel']);
  await expect(messageList(ben).getByRole('listitem').filter({ hasText: 'look' })).not.toHaveClass(/mentions-me/);
});

test('a hidden tab notifies as its bell says; permission is asked only when turned on; "New" marks the return', async ({
  browser,
}) => {
  const context = await browser.newContext({ permissions: ['notifications'] });
  const ana = await context.newPage();
  await recordNotifications(ana);
  const ben = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(ana, 'Ana');
  await joinRoomAs(ben, roomUrl, 'Ben');
  await expect(ana.getByRole('button', { name: 'Notifications: Mentions of me' })).toBeVisible();
  expect(await asks(ana)).toBe(0);
  await sendMessage(ben, 'before');
  await expect(messageList(ana).getByRole('listitem').filter({ hasText: 'before' })).toBeVisible();

  await setHidden(ana, true);
  await sendMessage(ben, 'nothing for you');
  await sendMessage(ben, '@ana look at this');
  await expect.poll(() => notes(ana)).toEqual([{ title: 'Ben mentioned you in tiny-chat', body: '@ana look at this' }]);
  await setHidden(ana, false);
  const divider = messageList(ana).locator('.new-divider');
  await expect(divider).toHaveText('New');
  // Right above the first message that came while away.
  await expect(messageList(ana).locator('.new-divider + li')).toContainText('nothing for you');

  await ana.getByRole('button', { name: 'Notifications: Mentions of me' }).click();
  await ana.getByRole('radio', { name: 'All messages' }).check();
  expect(await asks(ana)).toBe(0); // already granted: nothing to ask
  await setHidden(ana, true);
  await sendMessage(ben, 'plain news');
  await expect.poll(async () => (await notes(ana)).at(-1)).toEqual({ title: 'Ben in tiny-chat', body: 'plain news' });

  await setHidden(ana, false);
  await ana.getByRole('radio', { name: 'Off' }).check();
  await setHidden(ana, true);
  await sendMessage(ben, '@Ana not now');
  await expect(messageList(ana).getByRole('listitem').filter({ hasText: 'not now' })).toBeAttached();
  expect(await notes(ana)).toHaveLength(2);

  // The choice is kept per room: after a reload the bell still says Off.
  await ana.reload();
  await expect(ana.getByRole('button', { name: 'Notifications: Off' })).toBeVisible();

  // A browser that was never asked: nothing on page load, one request when turned on.
  const fresh = await (await browser.newContext()).newPage();
  await recordNotifications(fresh);
  await joinRoomAs(fresh, roomUrl, 'Cy');
  expect(await asks(fresh)).toBe(0);
  await fresh.getByRole('button', { name: 'Notifications: Mentions of me' }).click();
  await fresh.getByRole('radio', { name: 'All messages' }).check();
  await expect.poll(() => asks(fresh)).toBe(1);
});
