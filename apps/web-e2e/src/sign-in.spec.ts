/**
 * Sign-in with OpenID Connect in a real browser: a real provider (oidc-provider with its development login form,
 * apps/api/test/support/oidc-provider.mjs) and an API with AUTH_MODE=oidc, both started here on loopback ports.
 */
import { type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, startServer } from './global-setup';
import { expect, test, composer, sendMessage } from './support';

test.describe.configure({ timeout: 90_000 });

const PROVIDER_SCRIPT = resolve(__dirname, '../../api/test/support/oidc-provider.mjs');
const CLIENT_SECRET = 'tiny-chat-test-client-secret';

let provider: ChildProcess;
let issuer: string;
let server: { url: string; child: ChildProcess };

async function startProvider(redirectUri: string): Promise<{ issuer: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [PROVIDER_SCRIPT], {
    env: { ...process.env, PORT: String(port), REDIRECT_URIS: JSON.stringify([redirectUri]) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('oidc-provider did not start within 15 s')), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('READY')) {
        clearTimeout(timer);
        done();
      }
    });
  });
  return { issuer: `http://127.0.0.1:${port}`, child };
}

test.beforeAll(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const started = await startProvider(`${publicUrl}/api/auth/callback`);
  provider = started.child;
  issuer = started.issuer;
  server = await startServer(
    {
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: started.issuer,
      OIDC_CLIENT_ID: 'tiny-chat',
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      PUBLIC_URL: publicUrl,
      SESSION_SECRET: 'browser-test-session-secret-0123456789',
      MAX_ROOMS_PER_USER: '3',
    },
    port,
  );
});

test.afterAll(async () => {
  for (const child of [server?.child, provider]) {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
  }
});

/** The provider's development login form, then its consent page. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('"Create a room" signed out goes through sign-in and back, then the room is created and listed as mine', async ({
  page,
}) => {
  await page.goto(`${server.url}/`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Your nick').fill('alice');
  await page.getByLabel('Room title').fill('Team sync');
  await page.getByRole('switch', { name: 'End-to-end encrypted' }).check();
  await page.getByRole('button', { name: 'Create a room' }).click();

  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/interaction\//);
  await signInAtProvider(page, 'alice');

  // Back on tiny-chat, the create that asked for sign-in finishes by itself, with its title and encryption.
  await expect(page).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}#k=[A-Za-z0-9_-]{43}$/);
  await expect(composer(page)).toBeVisible();
  await expect(page.locator('.room-title')).toHaveText('Team sync');
  await expect(page.getByRole('img', { name: 'End-to-end encrypted' })).toBeVisible();
  const roomId = new URL(page.url()).pathname.split('/r/')[1] ?? '';
  await sendMessage(page, 'first words as alice');

  await page.goto(`${server.url}/`);
  await expect(page.getByTestId('account-name')).toHaveText('User alice');
  await expect(page.getByTestId('my-rooms').getByRole('link', { name: `Open room ${roomId}` })).toBeVisible();

  // Signing out ends the session on the server: creating asks for sign-in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
  expect(me).toEqual({ authMode: 'oidc', user: null, maxRoomsPerUser: 3 });
  // (The provider may still remember alice and send her straight back: what matters is the trip to it.)
  const toProvider = page.waitForRequest((request) => request.url().startsWith(`${issuer}/auth?`));
  await page.getByRole('button', { name: 'Create a room' }).click();
  await toProvider;
});

test('sign-in from a room comes back to that room', async ({ page, browser }) => {
  // Someone signed in creates a room; a signed-out visitor opens its link and signs in from the nick prompt.
  const creator = await (await browser.newContext()).newPage();
  await creator.goto(`${server.url}/`);
  await creator.getByRole('button', { name: 'Sign in' }).click();
  await signInAtProvider(creator, 'carol');
  await expect(creator.getByTestId('account-name')).toHaveText('User carol');
  await creator.getByRole('button', { name: 'Create a room' }).click();
  await expect(creator).toHaveURL(/\/r\/[A-Za-z0-9_-]{22}$/);
  const roomUrl = creator.url();

  await page.goto(roomUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signInAtProvider(page, 'dave');
  await expect(page).toHaveURL(roomUrl);
  await expect(page.getByTestId('account-name')).toHaveText('User dave');
});

test('cancelling at the provider comes back with a sentence and no session', async ({ page }) => {
  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/interaction\//);
  await page.getByRole('link', { name: '[ Cancel ]' }).click();
  await expect(page).toHaveURL(/\/\?authError=access_denied$/);
  await expect(page.getByTestId('auth-error')).toContainText('Sign-in was cancelled');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
