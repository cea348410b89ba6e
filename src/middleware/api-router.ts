import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { AuthGuards } from './auth';
import { parseOrThrow, rejectUnstorableStrings } from './validate';
import { AppError } from '../common/errors';
import { requestContext, type ActorContext, type RequestContext } from '../common/request-context';

export type AuthRequirement = 'none' | 'optional' | 'user' | 'admin';

export interface RouteSpec<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  A extends AuthRequirement,
> {
  summary: string;
  description?: string;
  auth?: A;
  body?: B;
  query?: Q;
  params?: P;
  /** Request headers the route reads (documentation only: the handler validates them). */
  headers?: z.ZodObject;
  /** Schema of the envelope's `data` on success (documentation). */
  response?: z.ZodType;
  /** Success status; 200 unless given. */
  status?: number;
  /** A non-JSON success body (e.g. `application/pdf`). */
  produces?: string;
  /** Extra middleware run after authentication and before validation (rate limiters…). */
  middleware?: RequestHandler[];
  /** Documented extra error statuses. */
  errors?: number[];
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<B, Q, P, A extends AuthRequirement> {
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
  /** Who is asking and which request: what services take as their first argument. */
  context: A extends 'user' | 'admin' ? ActorContext : RequestContext;
  req: Request;
  res: Response;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type DeclareRoute = <
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  A extends AuthRequirement = 'none',
>(
  path: string,
  spec: RouteSpec<B, Q, P, A>,
  handler: (ctx: RouteContext<B, Q, P, A>) => unknown,
) => void;

const errorEnvelope = z
  .object({
    status: z.number().int(),
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    meta: z.object({ requestId: z.string(), timestamp: z.string() }),
  })
  .meta({ id: 'Error' });

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation error or malformed JSON',
  401: 'Missing, invalid, expired or revoked token',
  403: 'Not allowed for this role or account',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Body is not JSON',
  422: 'State rule violated',
  423: 'Account locked',
  429: 'Rate limited',
  502: 'Payment provider error',
  503: 'A dependency is unavailable',
};

/** Body-carrying requests to a JSON route must say they are JSON (415 otherwise). */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json');
  }
  next();
};

/**
 * An Express router whose every route is declared once with its zod schemas: the same declaration validates the
 * request (handlers only ever see parsed, typed input) and documents the route in the OpenAPI registry.
 */
export class ApiRouter {
  readonly router = express.Router();

  constructor(
    private readonly docs: OpenAPIRegistry,
    private readonly guards: AuthGuards,
    /** Mount path under /api/v1, e.g. `/auth`; used for the documentation paths. */
    private readonly mountPath: string,
    private readonly tag: string,
  ) {}

  readonly get = this.declare('get');
  readonly post = this.declare('post');
  readonly put = this.declare('put');
  readonly patch = this.declare('patch');
  readonly delete = this.declare('delete');

  /** One typed declaration function per HTTP method; the generics infer each route's parsed input types. */
  private declare(method: Method): DeclareRoute {
    return (path, spec, handler) => this.route(method, path, spec, handler);
  }

  private route<B, Q, P, A extends AuthRequirement>(
    method: Method,
    path: string,
    spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, A>,
    handler: (ctx: RouteContext<B, Q, P, A>) => unknown,
  ): void {
    const auth = spec.auth ?? 'none';
    const chain: RequestHandler[] = [];
    if (auth === 'user' || auth === 'admin') chain.push(this.guards.required);
    if (auth === 'optional') chain.push(this.guards.optional);
    if (auth === 'admin') chain.push(this.guards.role('ADMIN'));
    // Before the route's own middleware too: a rate limiter keyed on a body field must not see an unstorable one.
    chain.push(rejectUnstorableStrings);
    chain.push(...(spec.middleware ?? []));
    if (spec.body) chain.push(requireJsonBody);

    chain.push(async (req, res) => {
      const ctx = {
        body: spec.body ? parseOrThrow(spec.body, req.body, 'body') : undefined,
        query: spec.query ? parseOrThrow(spec.query, req.query, 'query') : undefined,
        params: spec.params ? parseOrThrow(spec.params, req.params, 'params') : undefined,
        context: requestContext(req, res),
        req,
        res,
      } as RouteContext<B, Q, P, A>;
      await handler(ctx);
    });

    this.router[method](path, ...chain);
    this.document(method, path, spec, auth);
  }

  private document(
    method: Method,
    path: string,
    spec: RouteSpec<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, AuthRequirement>,
    auth: AuthRequirement,
  ): void {
    const status = spec.status ?? 200;
    const success = spec.produces
      ? { description: 'Success', content: { [spec.produces]: { schema: z.string() } } }
      : {
          description: 'Success',
          content: {
            'application/json': {
              schema: z.object({
                data: spec.response ?? z.unknown(),
                status: z.literal(status),
                message: z.string(),
                meta: z.object({ requestId: z.string(), timestamp: z.string() }),
              }),
            },
          },
        };
    const errorStatuses = new Set<number>(spec.errors ?? []);
    if (spec.body || spec.query || spec.params || spec.headers) errorStatuses.add(400);
    if (auth === 'user' || auth === 'admin') errorStatuses.add(401);
    if (auth === 'admin') errorStatuses.add(403);
    errorStatuses.add(429);

    const responses: RouteConfig['responses'] = { [status]: success };
    for (const code of [...errorStatuses].sort()) {
      responses[code] = {
        description: ERROR_DESCRIPTIONS[code] ?? 'Error',
        content: { 'application/json': { schema: errorEnvelope } },
      };
    }

    const openApiPath = `/api/v1${this.mountPath}${path === '/' ? '' : path}`.replace(/:(\w+)/g, '{$1}');
    this.docs.registerPath({
      method,
      path: openApiPath || '/',
      summary: spec.summary,
      description: spec.description,
      tags: [this.tag],
      security:
        auth === 'none' ? undefined : auth === 'optional' ? [{}, { bearerAuth: [] }] : [{ bearerAuth: [] }],
      request: {
        body: spec.body ? { content: { 'application/json': { schema: spec.body } } } : undefined,
        query: spec.query instanceof z.ZodObject ? spec.query : undefined,
        params: spec.params instanceof z.ZodObject ? spec.params : undefined,
        headers: spec.headers,
      },
      responses,
    });
  }
}
