import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { baseUrl, composer, expect, joinRoomAs, messageList, sendMessage, test } from './support';

/** Clicks a download button and answers the file's name and text. */
async function download(page: Page, scope: string, button: string): Promise<{ name: string; text: string }> {
  const [file] = (await Promise.all([
    page.waitForEvent('download'),
    page.locator(scope).getByRole('button', { name: button }).click(),
  ])) as [Download, void];
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

/** `sentAt` as the .txt shows it: local time of a browser in UTC+05:30. */
function kolkata(iso: string): string {
  return new Date(Date.parse(iso) + 330 * 60_000).toISOString().replace('T', ' ').slice(0, 19);
}

test('both transcript downloads hold the whole conversation, with their exact names and lines', async ({ browser }) => {
  const ana = await (await browser.newContext({ timezoneId: 'Asia/Kolkata' })).newPage();
  const ben = await (await browser.newContext()).newPage();
  await ana.goto(`${baseUrl()}/`);
  await ana.getByLabel('Your nick').fill('Ana');
  await ana.getByLabel('Room title').fill('Plans');
  await ana.getByRole('button', { name: 'Create a room' }).click();
  await expect(composer(ana)).toBeVisible();
  const roomId = new URL(ana.url()).pathname.split('/').pop() ?? '';
  await sendMessage(ana, 'first');
  await composer(ana).fill('two\nlines');
  await composer(ana).press('Enter');
  await joinRoomAs(ben, ana.url(), 'Ben');
  await sendMessage(ben, 'hi Ana');
  await expect(messageList(ana).getByRole('listitem').filter({ hasText: 'hi Ana' })).toBeVisible();

  const json = await download(ana, '#room-info', 'JSON (.json)');
  expect(json.name).toMatch(new RegExp(`^tiny-chat-${roomId.slice(0, 8)}-\\d{8}-\\d{4}\\.json$`));
  const data = JSON.parse(json.text) as {
    room: unknown;
    exportedAt: string;
    messages: { id: number; nick: string; text: string; sentAt: string }[];
  };
  expect(data.room).toEqual({ roomId, title: 'Plans', encrypted: false });
  expect(data.messages.map((m) => [m.id, m.nick, m.text])).toEqual([
    [1, 'Ana', 'first'],
    [2, 'Ana', 'two\nlines'],
    [3, 'Ben', 'hi Ana'],
  ]);
  // The name is the export's local time (UTC+05:30).
  const stamp = kolkata(data.exportedAt);
  expect(json.name).toBe(
    `tiny-chat-${roomId.slice(0, 8)}-${stamp.slice(0, 10).replace(/-/g, '')}-${stamp.slice(11, 16).replace(':', '')}.json`,
  );

  const txt = await download(ana, '#room-info', 'Text (.txt)');
  expect(txt.name).toMatch(new RegExp(`^tiny-chat-${roomId.slice(0, 8)}-\\d{8}-\\d{4}\\.txt$`));
  const lines = txt.text.split('\n');
  expect(lines.slice(0, 2)).toEqual(['tiny-chat transcript: Plans', `Room: ${roomId}`]);
  expect(txt.text).toContain('Times are local time (UTC+05:30).');
  const [first, second, third] = data.messages;
  expect(txt.text).toContain(
    [
      `[${kolkata(first?.sentAt ?? '')}] Ana: first`,
      `[${kolkata(second?.sentAt ?? '')}] Ana: two`,
      '  lines',
      `[${kolkata(third?.sentAt ?? '')}] Ben: hi Ana`,
      '',
    ].join('\n'),
  );
  expect(txt.text).not.toContain('dropped out');
});

test('an encrypted room exports decrypted texts; a closed room still offers what the page holds', async ({
  browser,
}) => {
  const ana = await (await browser.newContext()).newPage();
  await ana.goto(`${baseUrl()}/`);
  await ana.getByLabel('Your nick').fill('Ana');
  await ana.getByLabel('Room title').fill('Secret');
  await ana.getByRole('switch', { name: 'End-to-end encrypted' }).check();
  await ana.getByRole('button', { name: 'Create a room' }).click();
  await expect(composer(ana)).toBeVisible();
  await sendMessage(ana, 'sealed but readable');
  await expect(messageList(ana).getByRole('listitem').filter({ hasText: 'sealed but readable' })).toBeVisible();

  const open = await download(ana, '#room-info', 'JSON (.json)');
  const data = JSON.parse(open.text) as { room: { title: string; encrypted: boolean }; messages: { text: string }[] };
  expect(data.room).toMatchObject({ title: 'Secret', encrypted: true });
  expect(data.messages.map((m) => m.text)).toEqual(['sealed but readable']);

  await ana.getByRole('button', { name: 'Close room…' }).click();
  await ana.getByRole('button', { name: 'Close for everyone' }).click();
  await expect(ana.locator('.ended-banner')).toContainText('The person who created this room closed it.');
  const closed = await download(ana, '.ended-banner', 'Text (.txt)');
  expect(closed.text).toContain('tiny-chat transcript: Secret');
  expect(closed.text).toMatch(/\] Ana: sealed but readable\n/);
});
