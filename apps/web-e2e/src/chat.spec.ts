import {
  expect,
  test,
  composer,
  createRoomAs,
  domCspViolations,
  joinRoomAs,
  messageList,
  sendMessage,
  watchForProblems,
} from './support';

test('two people create, join and chat both ways with no CSP violation', async ({ browser }) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();
  const aliceProblems = await watchForProblems(alice);
  const bobProblems = await watchForProblems(bob);

  const roomUrl = await createRoomAs(alice, 'alice');
  await joinRoomAs(bob, roomUrl, 'bob');

  await expect(alice.getByRole('listitem').filter({ hasText: 'bob' }).first()).toBeVisible();
  await sendMessage(alice, 'hi bob, see https://example.com/docs');
  const atBob = messageList(bob).getByRole('listitem').filter({ hasText: 'hi bob' });
  await expect(atBob).toBeVisible();
  await expect(atBob.locator('bdi')).toHaveText('alice');
  const link = atBob.getByRole('link', { name: 'https://example.com/docs' });
  await expect(link).toHaveAttribute('href', 'https://example.com/docs');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');

  await composer(bob).fill('hello alice');
  await composer(bob).press('Shift+Enter');
  await composer(bob).pressSequentially('second line');
  await composer(bob).press('Enter');
  const atAlice = messageList(alice).getByRole('listitem').filter({ hasText: 'hello alice' });
  await expect(atAlice.locator('.text')).toHaveText('hello alice\nsecond line');
  await expect(atAlice).not.toHaveClass(/own/);

  const own = messageList(alice).getByRole('listitem').filter({ hasText: 'hi bob' });
  await expect(own).toHaveClass(/own/);
  await expect(own.locator('.status')).toHaveText('sent');
  await expect(own.locator('time')).toHaveAttribute('title', /\d{4}/);

  await expect(bob.getByRole('heading', { name: /Members/ })).toContainText('2 online');

  for (const [page, problems] of [
    [alice, aliceProblems],
    [bob, bobProblems],
  ] as const) {
    expect(problems.csp).toEqual([]);
    expect(await domCspViolations(page)).toEqual([]);
    expect(problems.errors).toEqual([]);
  }
});

test('a reload comes back as the same member without asking for a nick; leaving forgets it', async ({ page }) => {
  const roomUrl = await createRoomAs(page, 'carol');
  await sendMessage(page, 'before reload');
  await expect(messageList(page).locator('.msg.own .status')).toHaveText('sent');

  await page.reload();
  await expect(composer(page)).toBeVisible();
  await expect(page.getByLabel('Your nick')).toHaveCount(0);
  await expect(messageList(page).locator('.msg.own')).toContainText('before reload');
  await expect(page.getByRole('heading', { name: /Members/ })).toContainText('1 online');

  await page.getByRole('button', { name: 'Leave room' }).click();
  await page.getByRole('group', { name: 'Leave this room?' }).getByRole('button', { name: 'Leave' }).click();
  await expect(page.getByRole('button', { name: 'Create a room' })).toBeVisible();
  await expect(page.getByLabel('Your nick')).toHaveValue('carol');
  await page.goto(roomUrl);
  await expect(page.getByRole('heading', { name: 'Join this room' })).toBeVisible();
  await expect(page.getByLabel('Your nick')).toHaveValue('carol');
});

test('markup in a message shows as literal text and runs nothing', async ({ browser }) => {
  const sender = await (await browser.newContext()).newPage();
  const reader = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(sender, 'mallory');
  await joinRoomAs(reader, roomUrl, 'reader');

  const img = '<img src=x onerror=window.__xss=1>';
  const script = '<script>window.__xss=1</script>';
  await sendMessage(sender, img);
  await sendMessage(sender, script);

  for (const page of [sender, reader]) {
    await expect(messageList(page).getByText(img, { exact: true })).toBeVisible();
    await expect(messageList(page).getByText(script, { exact: true })).toBeVisible();
    await expect(messageList(page).locator('img, script')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  }
});

test('the counter blocks 1001 characters and allows 1000 emoji', async ({ page }) => {
  await createRoomAs(page, 'counter');
  const send = page.getByRole('button', { name: 'Send' });

  await composer(page).fill('a'.repeat(1001));
  await expect(page.locator('#composer-count')).toContainText('1001 / 1000');
  await expect(send).toBeDisabled();
  await composer(page).press('Enter');
  await expect(composer(page)).toHaveValue('a'.repeat(1001));

  const emoji = '😀'.repeat(1000);
  await composer(page).fill(emoji);
  await expect(page.locator('#composer-count')).toContainText('1000 / 1000');
  await expect(send).toBeEnabled();
  await send.click();
  const sent = messageList(page).locator('.msg.own');
  await expect(sent.locator('.status')).toHaveText('sent');
  await expect(sent.locator('.text')).toHaveText(emoji);

  await composer(page).fill('   ');
  await expect(send).toBeDisabled();
});

test('the share panel copies the room link and shows it as a QR code', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const roomUrl = await createRoomAs(page, 'sharer');

  await expect(page.getByLabel('Room link', { exact: true })).toHaveValue(roomUrl);
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(roomUrl);
  await expect(page.locator('qrcode canvas')).toBeVisible();
  await context.close();
});
