import { API, bearer, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { startFakeStripe, webhookSecret, type FakeStripe } from '../helpers/fake-stripe';
import {
  BAD_NUMBERS,
  BAD_TEXT,
  INFINITY,
  malformedBodies,
  mutatedBodies,
  ODD_IDS,
  rawJson,
  replyProblem,
  sendRaw,
  type FuzzBody,
  type Method,
} from '../helpers/fuzz';
import { moveOrderTo, orderItems, patchOrderStatus, postOrder } from '../helpers/order-flows';
import { SHIPPING_ADDRESS } from '../helpers/orders';
import { createIntent } from '../helpers/payments';
import { createTestContext, type TestContext } from '../helpers/test-app';

/**
 * Every write route of orders and payments (cart: cart.fuzz.test.ts) fed malformed bodies, wrong types, huge and
 * negative numbers, 1e309, strings for numbers, 10 000-item arrays, odd ids and unknown fields: never a 5xx, always
 * the error envelope, and nothing written — every row the routes could touch is compared before and after.
 */
jest.setTimeout(180_000);

let ctx: TestContext;
let fake: FakeStripe;
let buyer: TestUser;
let admin: TestUser;
let productId: number;
let addressId: number;
/** An order of `buyer` in each state the routes refuse to act on, and one with an open (uncaptured) payment. */
const target = {
  shipped: '',
  delivered: '',
  processing: '',
  pendingWithIntent: '',
  paymentId: '',
  foreign: '',
};

beforeAll(async () => {
  fake = await startFakeStripe();
  ctx = await createTestContext({
    ...fake.env,
    STRIPE_WEBHOOK_SECRET: webhookSecret(),
    STRIPE_MAX_NETWORK_RETRIES: '0',
  });
  buyer = await register(ctx.app);
  admin = await registerAdmin(ctx);
  const other = await register(ctx.app);
  productId = (await createProduct(ctx, { stock: 500 })).id;
  addressId = (await ctx.container.prisma.address.create({ data: { ...SHIPPING_ADDRESS, userId: buyer.id } }))
    .id;
  const line = [{ productId, quantity: 1 }];
  for (const status of ['shipped', 'delivered', 'processing'] as const) {
    const order = await orderItems(ctx, buyer, line);
    await moveOrderTo(ctx, admin, order.id, status.toUpperCase() as 'SHIPPED' | 'DELIVERED' | 'PROCESSING');
    target[status] = order.id;
  }
  target.pendingWithIntent = (await orderItems(ctx, buyer, line)).id;
  const intent = await createIntent(ctx, buyer, target.pendingWithIntent);
  expect(intent.status).toBe(200);
  target.paymentId = intent.body.data.paymentId;
  target.foreign = (await orderItems(ctx, other, line)).id;
});

afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

/** Everything these routes could write, read straight from PostgreSQL (and the calls Stripe received). */
async function snapshot() {
  const db = ctx.container.prisma;
  return {
    orders: await db.order.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, status: true, updatedAt: true, carrier: true, trackingNumber: true },
    }),
    items: await db.orderItem.count(),
    history: await db.orderStatusHistory.count(),
    stock: await db.product.findMany({ orderBy: { id: 'asc' }, select: { id: true, stock: true } }),
    payments: await db.payment.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, status: true, amountRefunded: true, updatedAt: true },
    }),
    refunds: await db.refund.count(),
    outbox: await db.outboxEvent.count(),
    audit: await db.auditLog.count(),
    idempotencyKeys: await db.idempotencyKey.count(),
    stripeCalls: fake.calls().length,
  };
}

interface Case {
  label: string;
  path: string;
  body?: FuzzBody;
  headers?: Record<string, string>;
}

/** Sends every case; each must be refused (a 4xx in the envelope), and nothing may change in the database. */
async function expectAllRefused(method: Method, user: TestUser, cases: Case[]): Promise<void> {
  const before = await snapshot();
  const failures: string[] = [];
  for (const c of cases) {
    const res = await sendRaw(ctx.app, method, `${API}${c.path}`, c.body, {
      ...bearer(user.token),
      ...c.headers,
    });
    const problem = replyProblem(res, { refusedOnly: true });
    if (problem) failures.push(`${c.label}: ${problem}`);
  }
  expect(failures).toEqual([]);
  expect(await snapshot()).toEqual(before);
}

const json = (name: string, value: unknown): FuzzBody => ({
  name,
  contentType: 'application/json',
  raw: rawJson(value),
});

const ODD_ORDER_IDS = [
  ...ODD_IDS,
  'not-a-uuid',
  '7b7c5a3e-0000-4000-8000-00000000000',
  '7b7c5a3e-0000-4000-8000-0000000000000',
  '7b7c5a3e-0000-4000-8000-000000000000',
  '{7b7c5a3e-0000-4000-8000-000000000000}',
  '7b7c5a3e00004000800000000000000 0',
  '..%2F..%2Fadmin%2Fall',
  'x'.repeat(2_000),
];

/** Cases for a route with an id in its path: the hostile bodies at the real target, a plain body at odd ids. */
function casesFor(path: (id: string) => string, id: string, bodies: FuzzBody[], plain: FuzzBody): Case[] {
  return [
    ...bodies.map((body) => ({ label: body.name, path: path(id), body })),
    ...ODD_ORDER_IDS.map((odd) => ({ label: `id ${odd.slice(0, 40)}`, path: path(odd), body: plain })),
  ];
}

const line = () => ({ productId, quantity: 1 });
const baseOrder = () => ({ shippingAddress: SHIPPING_ADDRESS, items: [line()] });
const ADDRESS_FIELDS = Object.keys(SHIPPING_ADDRESS);

describe('POST /orders', () => {
  test('malformed bodies, bad values in every field, huge arrays: refused, nothing written', async () => {
    const bodies: FuzzBody[] = [
      ...malformedBodies(),
      ...mutatedBodies(baseOrder(), [
        { path: ['items', 0, 'productId'], values: [...BAD_NUMBERS, 999_999, undefined] },
        { path: ['items', 0, 'quantity'], values: [...BAD_NUMBERS, 100, -99, undefined] },
        ...ADDRESS_FIELDS.map((field) => ({
          path: ['shippingAddress', field],
          values: [...BAD_TEXT, undefined],
        })),
        { path: ['shippingAddress'], values: BAD_TEXT },
        { path: ['customerNote'], values: BAD_TEXT },
        { path: ['couponCode'], values: [...BAD_TEXT, 'NO-SUCH-COUPON'] },
        {
          path: ['items'],
          values: [
            [],
            {},
            'all',
            null,
            7,
            [[line()]],
            [null],
            Array.from({ length: 51 }, (_, i) => ({ productId: i + 1, quantity: 1 })),
            Array.from({ length: 10_000 }, () => 0),
            Array.from({ length: 10_000 }, line),
          ],
        },
      ]),
      ...mutatedBodies({ shippingAddressId: addressId, items: [line()] }, [
        { path: ['shippingAddressId'], values: [...BAD_NUMBERS, 999_999] },
      ]),
      json('both address forms', { ...baseOrder(), shippingAddressId: addressId }),
      json('neither address form', { items: [line()] }),
      json('unknown fields only', { price: 0.01, status: 'PAID', userId: admin.id }),
      json('1e309 quantity among valid lines', {
        ...baseOrder(),
        items: [line(), { productId, quantity: INFINITY }],
      }),
    ];
    const cases: Case[] = bodies.map((body) => ({ label: body.name, path: '/orders', body }));
    const valid = json('valid', baseOrder());
    for (const key of ['', '   ', 'k'.repeat(256)]) {
      cases.push({
        label: `Idempotency-Key ${key.slice(0, 10)}…`,
        path: '/orders',
        body: valid,
        headers: { 'Idempotency-Key': key },
      });
    }
    await expectAllRefused('post', buyer, cases);
  });

  test('unknown fields beside a valid body are ignored: no price, status, owner or total can be set', async () => {
    const res = await postOrder(ctx, buyer, {
      ...baseOrder(),
      items: [{ ...line(), unitPrice: 0.01, price: 0.01, lineTotal: 0 }],
      userId: admin.id,
      status: 'PAID',
      total: 0,
      discount: 1_000,
      id: '7b7c5a3e-0000-4000-8000-000000000000',
      orderNumber: 'ORD-FAKE',
    });
    expect(res.status).toBe(201);
    const row = await ctx.container.prisma.order.findUniqueOrThrow({
      where: { id: res.body.data.id },
      include: { items: true },
    });
    expect(row.id).not.toBe('7b7c5a3e-0000-4000-8000-000000000000');
    expect(row).toMatchObject({
      userId: buyer.id,
      status: 'PENDING',
      orderNumber: expect.stringMatching(/^ORD-\d{8}-/),
    });
    expect(row.discount.toString()).toBe('0');
    expect(row.items[0].unitPrice.toString()).toBe('19.99');
    // Cancelled again, so the later tests see the stock they started with.
    expect(
      (await sendRaw(ctx.app, 'post', `${API}/orders/${row.id}/cancel`, json('{}', {}), bearer(buyer.token)))
        .status,
    ).toBe(200);
  });
});

describe('POST /orders/:id/cancel', () => {
  test('at a SHIPPED order and at odd ids: refused, nothing written', async () => {
    const bodies = [
      ...malformedBodies(),
      ...mutatedBodies({ reason: 'changed my mind' }, [{ path: ['reason'], values: BAD_TEXT }]),
      json('unknown fields', { reason: 'x', status: 'CANCELLED', refund: true, restock: true }),
    ];
    await expectAllRefused(
      'post',
      buyer,
      casesFor((id) => `/orders/${id}/cancel`, target.shipped, bodies, json('{}', {})),
    );
  });

  test("another customer's order: 404 whatever the body, nothing written", async () => {
    const bodies = [
      json('{}', {}),
      json('reason', { reason: 'mine now' }),
      ...malformedBodies().slice(0, 10),
    ];
    await expectAllRefused(
      'post',
      buyer,
      bodies.map((body) => ({ label: body.name, path: `/orders/${target.foreign}/cancel`, body })),
    );
  });
});

describe('PATCH /orders/:id/status', () => {
  const STATUS_VALUES = [
    7,
    '',
    'shipped',
    'SHIPPED ',
    ' SHIPPED',
    'LOST',
    ['SHIPPED'],
    {},
    null,
    true,
    INFINITY,
  ];
  const DATE_VALUES = [
    'soon',
    7,
    INFINITY,
    '',
    null,
    [],
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '10000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '2026-12-01',
  ];

  test('at a DELIVERED order and at odd ids: refused, nothing written', async () => {
    const bodies = [
      ...malformedBodies(),
      ...mutatedBodies({ status: 'SHIPPED', carrier: 'DHL', trackingNumber: 'T1', note: 'n' }, [
        { path: ['status'], values: [...STATUS_VALUES, undefined] },
        { path: ['carrier'], values: BAD_TEXT },
        { path: ['trackingNumber'], values: BAD_TEXT },
        { path: ['note'], values: BAD_TEXT },
        { path: ['estimatedDelivery'], values: DATE_VALUES },
      ]),
      json('a move outside the table, with unknown fields', { status: 'PENDING', userId: 1, total: 0 }),
    ];
    await expectAllRefused(
      'patch',
      admin,
      casesFor(
        (id) => `/orders/${id}/status`,
        target.delivered,
        bodies,
        json('valid', { status: 'REFUNDED' }),
      ),
    );
  });

  test('an allowed move (PROCESSING → SHIPPED) with a bad estimatedDelivery or tracking field: 400, nothing written', async () => {
    const bodies = mutatedBodies({ status: 'SHIPPED', carrier: 'DHL', trackingNumber: 'T1' }, [
      { path: ['estimatedDelivery'], values: DATE_VALUES.filter((v) => v !== '2026-12-01') },
      { path: ['carrier'], values: BAD_TEXT },
      { path: ['trackingNumber'], values: BAD_TEXT },
      { path: ['status'], values: STATUS_VALUES },
    ]);
    await expectAllRefused(
      'patch',
      admin,
      bodies.map((body) => ({ label: body.name, path: `/orders/${target.processing}/status`, body })),
    );
    const row = await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: target.processing } });
    expect(row.status).toBe('PROCESSING');
  });

  test('a customer is refused (403) whatever the body', async () => {
    const bodies = [json('valid', { status: 'SHIPPED' }), ...malformedBodies().slice(0, 10)];
    await expectAllRefused(
      'patch',
      buyer,
      bodies.map((body) => ({ label: body.name, path: `/orders/${target.processing}/status`, body })),
    );
  });
});

describe('POST /payments/create-intent', () => {
  test('malformed bodies, odd order ids, orders that are not payable or not yours: refused, nothing written', async () => {
    const bodies = [
      ...malformedBodies(),
      ...mutatedBodies({ orderId: target.shipped }, [
        {
          path: ['orderId'],
          values: [
            ...BAD_TEXT,
            ...BAD_NUMBERS,
            ...ODD_ORDER_IDS,
            target.foreign,
            target.shipped.toUpperCase(),
            undefined,
          ],
        },
      ]),
      json('a client amount and currency beside a refused order', {
        orderId: target.delivered,
        amount: 1,
        currency: 'JPY',
      }),
      json('array of 10 000 ids', {
        orderId: Array.from({ length: 10_000 }, () => target.pendingWithIntent),
      }),
    ];
    await expectAllRefused(
      'post',
      buyer,
      bodies.map((body) => ({ label: body.name, path: '/payments/create-intent', body })),
    );
  });
});

describe('POST /payments/:paymentId/refund', () => {
  test('at a payment with nothing captured and at odd ids: refused, nothing written, nothing sent to Stripe', async () => {
    const bodies = [
      ...malformedBodies(),
      ...mutatedBodies({ amount: 1, restock: true, reason: 'r' }, [
        { path: ['amount'], values: [...BAD_NUMBERS, -0, 1e-7, 10.005, 21_474_836.48] },
        { path: ['restock'], values: [1, 0, 'true', 'yes', null, [], {}] },
        { path: ['reason'], values: BAD_TEXT },
      ]),
      json('unknown fields', { amount: 1, currency: 'JPY', orderId: target.delivered, status: 'REFUNDED' }),
      json('{}', {}),
    ];
    await expectAllRefused(
      'post',
      admin,
      casesFor((id) => `/payments/${id}/refund`, target.paymentId, bodies, json('full', {})),
    );
  });

  test('a customer is refused (403) whatever the body', async () => {
    const bodies = [json('{}', {}), json('amount', { amount: 1 }), ...malformedBodies().slice(0, 10)];
    await expectAllRefused(
      'post',
      buyer,
      bodies.map((body) => ({ label: body.name, path: `/payments/${target.paymentId}/refund`, body })),
    );
  });
});

test('after all that, patchOrderStatus still works on the same orders (the fuzz left them usable)', async () => {
  expect((await patchOrderStatus(ctx, admin, target.processing, { status: 'SHIPPED' })).status).toBe(200);
});
