// Caller authentication (AUTH_MODE). Every refusal is HTTP 401 with
// extensions.code UNAUTHENTICATED, decided in onRequestParse: before the body is
// read, so a refused caller never reaches a resolver or the upstream. The same
// check, `authenticate`, admits WebSocket connections.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin, type YogaLogger } from 'graphql-yoga';

export type AuthOptions =
  | { mode: 'none' }
  | {
      mode: 'jwt';
      /** HS256 shared secret; exactly one of secret and jwksUrl is set. */
      secret?: string;
      /** RS256/ES256 keys, looked up by the token's `kid`. */
      jwksUrl?: string;
      issuer?: string;
      audience?: string;
    }
  | {
      mode: 'apikey';
      /** SHA-256 hex digests of the accepted keys: the keys themselves are never configured. */
      keyDigests: string[];
    };

/** Who made a request, once authenticated: the JWT subject or which API key. Read by the rate limiter. */
const callers = new WeakMap<Request, string>();

export function authenticatedCaller(request: Request): string | undefined {
  return callers.get(request);
}

function unauthenticated(message: string, headers?: Record<string, string>) {
  return createGraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: headers ? { status: 401, headers } : { status: 401 } },
  });
}

/** The plugin's check on its own, for requests outside yoga's pipeline; throws the UNAUTHENTICATED error. */
export type Authenticate = (request: Request, serverContext: object) => Promise<void>;

export type AuthPlugin = Plugin & { authenticate: Authenticate };

export function useAuth(options: AuthOptions): AuthPlugin {
  const plugin =
    options.mode === 'jwt'
      ? useJwtAuth(options)
      : options.mode === 'apikey'
        ? useApiKeyAuth(options.keyDigests)
        : ({} as Plugin);
  return {
    ...plugin,
    authenticate: async (request, serverContext) => {
      await plugin.onRequestParse?.({ request, serverContext, url: new URL(request.url) } as Parameters<
        NonNullable<Plugin['onRequestParse']>
      >[0]);
    },
  };
}

/** JWKS fetches caused by unknown `kid`s are capped, so tokens cannot make us hammer the key server. */
const JWKS_REQUESTS_PER_MINUTE = 10;
const JWKS_TIMEOUT_MS = 5_000;

// @graphql-yoga/plugin-jwt does the verification (signature, algorithm allowlist,
// exp/nbf, iss, aud). As shipped it answers a token that does not decode with 400
// and an unknown `kid` with a plain Error (so 500); every one of its refusals
// becomes the same 401 here, without saying which check failed. The plugin and
// its JWKS client are loaded only in this mode (about 100 ms of every start
// otherwise), while the app is created; the first request waits for them.
function useJwtAuth(options: Extract<AuthOptions, { mode: 'jwt' }>): Plugin {
  const loaded = import('@graphql-yoga/plugin-jwt').then(
    ({ createInlineSigningKeyProvider, createRemoteJwksSigningKeyProvider, useJWT }) =>
      useJWT({
        signingKeyProviders: [
          options.secret
            ? createInlineSigningKeyProvider(options.secret)
            : createRemoteJwksSigningKeyProvider({
                jwksUri: options.jwksUrl!,
                cache: true,
                rateLimit: true,
                jwksRequestsPerMinute: JWKS_REQUESTS_PER_MINUTE,
                timeout: JWKS_TIMEOUT_MS,
              }),
        ],
        tokenVerification: {
          // Never 'none', and never an HMAC algorithm when the keys are public ones.
          algorithms: options.secret ? ['HS256'] : ['RS256', 'ES256'],
          ...(options.issuer ? { issuer: options.issuer } : {}),
          ...(options.audience ? { audience: options.audience } : {}),
        },
        reject: { missingToken: true, invalidToken: true },
        extendContext: 'jwt',
      }),
  );
  let ready: Promise<Plugin> = loaded;
  const challenge = { 'WWW-Authenticate': 'Bearer' };
  let logger: YogaLogger | undefined;
  return {
    onYogaInit(init) {
      logger = init.yoga.logger;
      ready = loaded.then((jwt) => {
        jwt.onYogaInit?.(init);
        return jwt;
      });
    },
    async onRequestParse(payload) {
      const jwt = await ready;
      try {
        await jwt.onRequestParse?.(payload);
      } catch (error) {
        // The plugin refuses bad tokens with GraphQLErrors; anything else (the JWKS
        // unreachable, or a kid it lacks) is worth an operator's look. The token stays out.
        if (!(error instanceof GraphQLError)) {
          const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
          logger?.warn(
            { error: { name, message } },
            'JWT verification failed outside the token checks: AUTH_JWKS_URL unreachable, or a kid the key set lacks',
          );
        }
        throw payload.request.headers.has('authorization')
          ? unauthenticated('The bearer token was refused', challenge)
          : unauthenticated('Authentication required: send Authorization: Bearer <token>', challenge);
      }
      const verified = (payload.serverContext as { jwt?: { payload?: { sub?: unknown } } }).jwt?.payload;
      const subject = typeof verified?.sub === 'string' ? verified.sub : '';
      callers.set(payload.request, `jwt:${subject}`);
    },
  };
}

function useApiKeyAuth(keyDigests: string[]): Plugin {
  const accepted = keyDigests.map((hex) => Buffer.from(hex, 'hex'));
  return {
    onRequestParse({ request }) {
      const key = request.headers.get('x-api-key');
      if (!key) throw unauthenticated('Authentication required: send an API key in the x-api-key header');
      const digest = createHash('sha256').update(key).digest();
      // Compare against every accepted digest, so the time taken does not say which one matched.
      let match = -1;
      accepted.forEach((candidate, i) => {
        if (timingSafeEqual(candidate, digest) && match < 0) match = i;
      });
      if (match < 0) throw unauthenticated('The API key was refused');
      // The digest names the caller; the key itself is kept nowhere.
      callers.set(request, `apikey:${keyDigests[match]}`);
    },
  };
}
