// A real OpenID provider for the sign-in tests: oidc-provider on a loopback port with one registered client and its
// development interactions (a login form that accepts any name, then a consent page). Run as a child process:
//   PORT=<port> REDIRECT_URIS='["http://127.0.0.1:<p>/api/auth/callback"]' node oidc-provider.mjs
// It prints READY when it listens. The account id is the login typed into the form; name and email derive from it.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID ?? 'tiny-chat',
      client_secret: process.env.CLIENT_SECRET ?? 'tiny-chat-test-client-secret',
      redirect_uris: JSON.parse(process.env.REDIRECT_URIS ?? '[]'),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  // The profile and email claims go into the ID token itself (the app reads the name from there, not userinfo).
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, name: `User ${sub}`, preferred_username: sub, email: `${sub}@example.test` }),
  }),
  cookies: { keys: ['tiny-chat-test-provider-cookie-key'] },
  // Tokens issued now, checked by the relying party against its own clock: both run on this machine.
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600 },
});
// Development interactions warn on every start; the tests need no such noise.
provider.on('server_error', (_ctx, error) => console.error(`provider error: ${error.message}`));
provider.listen(port, '127.0.0.1', () => console.log('READY'));
