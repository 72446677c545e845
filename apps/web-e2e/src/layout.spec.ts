import { type Page } from '@playwright/test';
import {
  expect,
  test,
  baseUrl,
  composer,
  createRoomAs,
  joinRoomAs,
  messageList,
  screenshotPath,
  sendMessage,
} from './support';

const PHONE = { width: 360, height: 640 };

async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
}

test('at 360x640 the composer stays on screen and nothing scrolls sideways', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/`);
  await expectNoHorizontalScroll(page);

  await createRoomAs(page, 'phone');
  await sendMessage(page, `https://example.com/${'very-long-path-segment'.repeat(8)}`);
  await sendMessage(page, 'Supercalifragilisticexpialidocious'.repeat(6));
  for (let i = 1; i <= 15; i++) await sendMessage(page, `line ${i}`);
  await expect(messageList(page).getByText('line 15', { exact: true })).toBeInViewport();

  const box = await composer(page).boundingBox();
  expect(box).not.toBeNull();
  expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(PHONE.height);
  await expect(page.getByRole('button', { name: 'Send' })).toBeInViewport();
  await expectNoHorizontalScroll(page);
  await context.close();
});

test('works with the keyboard only, from the lobby to a sent message', async ({ page }) => {
  await page.goto(`${baseUrl()}/`);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Your nick')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('keys');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel(/Room title/)).toBeFocused();
  await page.keyboard.type('by keyboard');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('switch', { name: 'End-to-end encrypted' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Create a room' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(composer(page)).toBeVisible();
  await expect(page.locator('.room-title')).toHaveText('by keyboard');

  await composer(page).focus();
  await page.keyboard.type('typed without a mouse');
  await page.keyboard.press('Enter');
  await expect(messageList(page).locator('.msg.own .status')).toHaveText('sent');
});

test('screenshots of the lobby and a room, desktop and phone', async ({ browser }) => {
  // Four browser contexts in one test: on a loaded two-core machine it needs more than the default 30 s.
  test.slow();
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', PHONE],
  ] as const) {
    const context = await browser.newContext({ viewport, isMobile: label === 'phone' });
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/`);
    await expect(page.getByRole('heading', { name: 'tiny-chat' })).toBeVisible();
    const lobbyShot = screenshotPath(`lobby-${label}.png`);
    if (lobbyShot) await page.screenshot({ path: lobbyShot });

    const roomUrl = await createRoomAs(page, 'ada');
    const friend = await (await browser.newContext()).newPage();
    await joinRoomAs(friend, roomUrl, 'grace');
    await sendMessage(page, 'Hi! Room is up, link is in the panel.');
    await sendMessage(friend, 'Joined from my phone 👋\nDocs: https://angular.dev/guide/signals');
    await sendMessage(page, 'Great, let us keep it short: this room vanishes when it goes quiet.');
    await expect(messageList(page).getByText('Great, let us keep it short', { exact: false })).toBeVisible();
    await expect(page.locator('.summary')).toContainText('2 online');
    const roomShot = screenshotPath(`room-${label}.png`);
    if (roomShot) await page.screenshot({ path: roomShot });
    await friend.context().close();
    await context.close();
  }
});

test('follows new messages at the bottom, and offers a "new messages" pill while reading older ones', async ({
  browser,
}) => {
  const reader = await (await browser.newContext({ viewport: PHONE })).newPage();
  const writer = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(reader, 'reader');
  await joinRoomAs(writer, roomUrl, 'writer');

  for (let i = 1; i <= 20; i++) await sendMessage(writer, `message ${i}`);
  await expect(messageList(reader).getByText('message 20', { exact: true })).toBeInViewport();

  await messageList(reader).evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(messageList(reader).getByText('message 1', { exact: true })).toBeInViewport();
  await sendMessage(writer, 'while you were reading');
  const pill = reader.getByRole('button', { name: /1 new message/ });
  await expect(pill).toBeVisible();
  await expect(messageList(reader).getByText('while you were reading')).not.toBeInViewport();

  await pill.click();
  await expect(messageList(reader).getByText('while you were reading')).toBeInViewport();
  await expect(pill).toBeHidden();
});
