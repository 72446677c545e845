/** The room's deadlines, told in time: live countdowns, "Keep this room open" only for idleness, and stale tabs. */
import type { ChildProcess } from 'node:child_process';
import { startServer } from './global-setup';
import { expect, test, baseUrl, composer, createRoomAs, sendMessage } from './support';

test.describe.configure({ timeout: 120_000 });

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
}

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 360, height: 640 }],
] as const) {
  test(`${label}: the maximum age warns 10 minutes ahead with no button; idleness warns from 60 s with a live countdown and "Keep this room open"`, async ({
    browser,
  }) => {
    // Rooms here live 5 minutes at most (inside the 10-minute warning at once) and close after 64 s without activity.
    const server = await startServer({
      ROOM_MAX_TTL_SEC: '300',
      ROOM_IDLE_TIMEOUT_SEC: '64',
      CLEANUP_INTERVAL_SEC: '1',
    });
    try {
      const page = await (await browser.newContext({ viewport })).newPage();
      await createRoomAs(page, 'clockwatcher', server.url);
      const maxAge = page.getByRole('status').filter({ hasText: 'reaches its maximum age' });
      await expect(maxAge).toContainText(/closes in 4:\d\d/);
      await expect(maxAge.getByRole('button')).toHaveCount(0);
      const before = await maxAge.textContent();
      await expect(maxAge).not.toHaveText(before ?? '');

      // Typing is no keep-alive of its own: the idle warning still comes, about 4 s in.
      await composer(page).fill('a draft, typed but not sent');
      const idle = page.getByRole('alert').filter({ hasText: 'This room closes in' });
      await expect(idle).toBeVisible({ timeout: 15_000 });
      await expect(idle).toContainText(/closes in 0:[0-5]\d/);
      const shown = await idle.locator('strong').textContent();
      await expect(idle.locator('strong')).not.toHaveText(shown ?? '');

      await idle.getByRole('button', { name: 'Keep this room open' }).click();
      await expect(idle).toBeHidden();
      await expect(maxAge).toBeVisible();
      await expect(composer(page)).toHaveValue('a draft, typed but not sent');
    } finally {
      await stop(server.child);
    }
  });
}

test('a tab whose member left elsewhere (no tab message reached it) asks for a nick instead of offering a Retry', async ({
  browser,
}) => {
  const first = await (await browser.newContext()).newPage();
  const roomUrl = await createRoomAs(first, 'twins');
  const roomId = roomUrl.split('/r/')[1] ?? '';
  const token = await first.evaluate((id) => localStorage.getItem(`tiny-chat:token:${id}`), roomId);
  // Another browser profile holding the same token: the same member, but out of reach of the first one's tabs.
  const second = await (await browser.newContext()).newPage();
  await second.goto(`${baseUrl()}/`);
  await second.evaluate(([id, value]) => localStorage.setItem(`tiny-chat:token:${id}`, value ?? ''), [roomId, token]);
  await second.goto(roomUrl);
  await expect(composer(second)).toBeVisible();

  await first.getByRole('button', { name: 'Leave room' }).click();
  await first.getByRole('group', { name: 'Leave this room?' }).getByRole('button', { name: 'Leave' }).click();
  await expect(first.getByRole('button', { name: 'Create a room' })).toBeVisible();

  await composer(second).fill('anyone there?');
  await composer(second).press('Enter');
  await expect(second.getByLabel('Your nick')).toBeVisible();
  await expect(second.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await second.getByLabel('Your nick').fill('twin');
  await second.getByRole('button', { name: 'Join room' }).click();
  await sendMessage(second, 'back as a new member');
});

test('the lobby nick field takes at most 32 code points, counted the server way', async ({ page }) => {
  await page.goto(`${baseUrl()}/`);
  const field = page.getByLabel('Your nick');
  await field.fill('😀'.repeat(40));
  await expect(field).toHaveValue('😀'.repeat(32));
  await field.fill('x'.repeat(33));
  await expect(field).toHaveValue('x'.repeat(32));
});
