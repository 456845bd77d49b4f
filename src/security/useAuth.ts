// Caller authentication (AUTH_MODE), and whose jobs the caller may read (its
// scope, docs/security.md#object-level-authorization). Every refusal is decided
// in onRequestParse: before the body is read, so a refused caller never reaches
// a resolver or the upstream. Credentials refused: HTTP 401 UNAUTHENTICATED;
// credentials with no app user id this server may send on, while scoping is on:
// HTTP 403 FORBIDDEN. The same check, `authenticate`, admits WebSocket connections.
import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin, type YogaLogger } from 'graphql-yoga';
import {
  APP_USER_ID_RULE,
  APP_USER_ID_RULE_TEXT,
  appUserIdHash,
  SCOPING_OFF,
  type CallerScope,
} from '../scope/callerScope.js';
import { scopeEvents, type ScopeRefusalReason } from '../scope/scopeEvents.js';

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
      /** AUTH_APP_USER_CLAIM: the top-level claim holding the caller's app user id; set, scoping is on. */
      appUserClaim?: string | undefined;
      /** AUTH_ALL_JOBS_SCOPE: a `scope` value that reads every job (support). */
      allJobsScope?: string | undefined;
    }
  | {
      mode: 'apikey';
      /** SHA-256 hex digests of the accepted keys: the keys themselves are never configured. */
      keyDigests: string[];
      /** Present, scoping is on: each digest's app user id, or `*` for every job. */
      bindings?: ReadonlyMap<string, string>;
    };

/** Who made a request, once authenticated: the JWT subject or which API key. Read by the rate limiter. */
const callers = new WeakMap<Request, string>();

export function authenticatedCaller(request: Request): string | undefined {
  return callers.get(request);
}

/** Whose jobs an authenticated request may read; scoping off when authentication set none. */
const scopes = new WeakMap<Request, CallerScope>();

export function callerScopeOf(request: Request): CallerScope {
  return scopes.get(request) ?? SCOPING_OFF;
}

function forbidden(request: Request, reason: ScopeRefusalReason, message: string, appUserId?: string) {
  scopeEvents.refusal.publish({
    requester: request,
    reason,
    appUserIdHash: appUserId === undefined ? undefined : appUserIdHash(appUserId),
  });
  return createGraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/** The scope of a caller that is not support: its app user id, if MetaStudio may receive it. */
function appUserScope(request: Request, appUserId: unknown, source: string): CallerScope {
  if (typeof appUserId !== 'string') {
    throw forbidden(request, 'missing_app_user_id', `No app user id: ${source} must be a string`);
  }
  if (!APP_USER_ID_RULE.test(appUserId)) {
    throw forbidden(
      request,
      'invalid_app_user_id',
      `The app user id is not one this server sends to MetaStudio: ${APP_USER_ID_RULE_TEXT}`,
      appUserId,
    );
  }
  return { kind: 'user', appUserId };
}

/** The token's `scope` claim: space-separated in a string (RFC 8693), or an array. */
function tokenScopes(scope: unknown): string[] {
  if (typeof scope === 'string') return scope.split(' ');
  return Array.isArray(scope) ? scope.filter((value): value is string => typeof value === 'string') : [];
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
        ? useApiKeyAuth(options.keyDigests, options.bindings)
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
      const verified = (payload.serverContext as { jwt?: { payload?: Record<string, unknown> } }).jwt?.payload;
      const subject = typeof verified?.sub === 'string' ? verified.sub : '';
      callers.set(payload.request, `jwt:${subject}`);
      const claim = options.appUserClaim;
      if (claim === undefined) return;
      const { request } = payload;
      if (options.allJobsScope !== undefined && tokenScopes(verified?.scope).includes(options.allJobsScope)) {
        scopeEvents.allJobs.publish({ requester: request, via: 'token' });
        scopes.set(request, { kind: 'all' });
        return;
      }
      // Own properties only: a claim named like an Object.prototype member is not in every token.
      const appUserId = verified && Object.hasOwn(verified, claim) ? verified[claim] : undefined;
      scopes.set(request, appUserScope(request, appUserId, `the token's "${claim}" claim (AUTH_APP_USER_CLAIM)`));
    },
  };
}

function useApiKeyAuth(keyDigests: string[], bindings: ReadonlyMap<string, string> | undefined): Plugin {
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
      const name = keyDigests[match]!;
      callers.set(request, `apikey:${name}`);
      if (!bindings) return;
      const binding = bindings.get(name);
      if (binding === '*') {
        scopeEvents.allJobs.publish({ requester: request, via: 'apikey' });
        scopes.set(request, { kind: 'all' });
        return;
      }
      scopes.set(
        request,
        appUserScope(request, binding, 'the AUTH_API_KEYS entry of this key must bind it (=<app user id>)'),
      );
    },
  };
}
