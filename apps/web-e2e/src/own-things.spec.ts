/** Nothing a person had is lost: identity by memberId, queued fast sends, the nick field, links, phone wrapping. */
import { type Page } from '@playwright/test';
import {
  expect,
  test,
  composer,
  createRoomAs,
  joinRoomAs,
  limitedServerUrl,
  messageList,
  sendMessage,
} from './support';

const PHONE = { width: 360, height: 640 };

// Several browsers and a rate-limited server on a shared two-core machine: give each test room to breathe.
test.describe.configure({ timeout: 120_000 });

function line(page: Page, text: string) {
  return messageList(page).getByRole('listitem').filter({ hasText: text });
}

test('a newcomer who takes a left nick sees no old message as hers; the others see two distinguishable authors', async ({
  browser,
}) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(alice, 'alice');
  await joinRoomAs(bob, roomUrl, 'Bob');
  await sendMessage(bob, 'from the first Bob, see www.example.org');
  const link = line(alice, 'from the first Bob').getByRole('link', { name: 'www.example.org' });
  await expect(link).toHaveAttribute('href', 'https://www.example.org/');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await bob.getByRole('button', { name: 'Leave room' }).click();
  await bob.getByRole('group', { name: 'Leave this room?' }).getByRole('button', { name: 'Leave' }).click();
  await expect(composer(bob)).toBeHidden();

  const carol = await (await browser.newContext()).newPage();
  await joinRoomAs(carol, roomUrl, 'Bob');
  const old = line(carol, 'from the first Bob');
  await expect(old).toBeVisible();
  await expect(old).not.toHaveClass(/own/);
  await expect(old.locator('.status')).toHaveCount(0);
  await sendMessage(carol, 'I am the new Bob');
  await expect(line(carol, 'I am the new Bob')).toHaveClass(/own/);

  const first = line(alice, 'from the first Bob');
  const second = line(alice, 'I am the new Bob');
  await expect(second).toBeVisible();
  const firstTag = await first.locator('.tag').textContent();
  const secondTag = await second.locator('.tag').textContent();
  expect(firstTag).toMatch(/^#[A-Za-z0-9_-]{4}$/);
  expect(secondTag).toMatch(/^#[A-Za-z0-9_-]{4}$/);
  expect(firstTag).not.toBe(secondTag);
  await expect(second).not.toHaveClass(/grouped/);
});

test('"Leave room" asks first, and leaving in one tab takes the other tab of that room out too', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: PHONE });
  const first = await context.newPage();
  const roomUrl = await createRoomAs(first, 'twotabs');
  const second = await context.newPage();
  await second.goto(roomUrl);
  await expect(composer(second)).toBeVisible();
  await first.getByRole('button', { name: 'Leave room' }).click();
  const confirm = first.getByRole('group', { name: 'Leave this room?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Stay' }).click();
  await expect(confirm).toBeHidden();
  await expect(composer(first)).toBeVisible();
  await first.getByRole('button', { name: 'Leave room' }).click();
  await confirm.getByRole('button', { name: 'Leave' }).click();
  await expect(first.getByRole('button', { name: 'Create a room' })).toBeVisible();
  await expect(second.getByRole('button', { name: 'Create a room' })).toBeVisible();
  await expect(composer(second)).toHaveCount(0);
});

test('the room page has one main landmark and one level-one heading', async ({ page }) => {
  await createRoomAs(page, 'landmarks');
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('main').getByRole('list', { name: 'Messages' })).toBeVisible();
});

test('15 messages written quickly are all delivered, in order, without a click, with a live countdown meanwhile', async ({
  page,
}) => {
  await createRoomAs(page, 'quick', limitedServerUrl());
  // Typed in one go inside the page: a loaded machine must not slow the sender below the server's limit.
  await composer(page).evaluate((area: HTMLTextAreaElement) => {
    for (let i = 1; i <= 15; i++) {
      area.value = `fast ${i}`;
      area.dispatchEvent(new Event('input', { bubbles: true }));
      area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    }
  });
  await expect(
    messageList(page)
      .locator('.status', { hasText: /sends in \d+ s/ })
      .first(),
  ).toBeVisible();
  const own = messageList(page).locator('.msg.own');
  await expect(own).toHaveCount(15);
  await expect(own.last().locator('.status')).toHaveText('sent', { timeout: 30_000 });
  await expect(own.locator('.text')).toHaveText(Array.from({ length: 15 }, (_, i) => `fast ${i + 1}`));
  await expect(messageList(page).getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(messageList(page).locator('.status')).toHaveCount(1);
  // The server stored them once each, in order: a reload shows the same fifteen.
  await page.reload();
  await expect(messageList(page).locator('.msg.own .text')).toHaveText(
    Array.from({ length: 15 }, (_, i) => `fast ${i + 1}`),
  );
});

test('the nick field keeps and selects what was typed after NICK_TAKEN, and takes at most 32 code points', async ({
  browser,
}) => {
  const owner = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(owner, 'Taken');
  const page = await (await browser.newContext()).newPage();
  await page.goto(roomUrl);
  const field = page.getByLabel('Your nick');
  await field.fill('😀'.repeat(40));
  await expect(field).toHaveValue('😀'.repeat(32));
  await field.fill('taken');
  await page.getByRole('button', { name: 'Join room' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(field).toHaveValue('taken');
  await expect(field).toBeFocused();
  expect(await field.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([0, 5]);
});

test.describe('on a 360 x 640 phone', () => {
  test.use({ viewport: PHONE });

  test('a 32-code-point nick and a 200-character word break no header inside a word; one status, grouped lines', async ({
    page,
  }) => {
    const nick = 'W'.repeat(32);
    await createRoomAs(page, nick);
    await sendMessage(page, 'x'.repeat(200));
    await sendMessage(page, 'second one');
    const lines = messageList(page).locator('.msg');
    await expect(lines.last().locator('.status')).toHaveText('sent');
    await expect(messageList(page).locator('.status')).toHaveCount(1);
    await expect(lines.last()).toHaveClass(/grouped/);
    const first = lines.first();
    for (const part of [first.locator('time'), lines.last().locator('.status')]) {
      const box = await part.boundingBox();
      const lineHeight = await part.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
      expect(box?.height ?? 0).toBeLessThanOrEqual(lineHeight * 1.5);
    }
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] ?? 0);
  });
});
