import { Client } from 'pg';
import { register, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { SHIPPING_ADDRESS } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { OrderRepository, type NewOrder } from '../../src/modules/orders/orders.repository';

/**
 * The placement's one-statement insert (OrderRepository.insertPlaced): what it returns without reading back must be
 * exactly what a later read finds, and a taken order number writes nothing at all.
 */
const UNKNOWN_ID = '7b7c5a3e-0000-4000-8000-000000000000';
let ctx: TestContext;
let repository: OrderRepository;
let buyer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  repository = new OrderRepository(ctx.container.prisma);
});
beforeEach(async () => {
  await ctx.reset();
  buyer = await register(ctx.app);
});
afterAll(async () => {
  await ctx.close();
});

async function newOrder(orderNumber: string): Promise<NewOrder> {
  const a = await createProduct(ctx, { thumbnail: null });
  const b = await createProduct(ctx);
  return {
    orderNumber,
    userId: buyer.id,
    currency: 'USD',
    subtotal: '44.97',
    discount: '4.50',
    tax: '3.24',
    shipping: '9.99',
    total: '53.70',
    couponId: null,
    couponCode: 'SPRING',
    customerNote: 'Ring twice',
    items: [
      {
        productId: b.id,
        title: b.title,
        sku: b.sku,
        thumbnail: b.thumbnail,
        quantity: 2,
        unitPrice: '17.99',
        discountPercentage: '10',
        lineTotal: '35.98',
      },
      {
        productId: a.id,
        title: 'It’s a “snapshot”; with; semicolons',
        sku: a.sku,
        thumbnail: null,
        quantity: 1,
        unitPrice: '8.99',
        discountPercentage: '0',
        lineTotal: '8.99',
      },
    ],
    shippingAddress: SHIPPING_ADDRESS,
  };
}

it('returns the row a later read finds: order, lines, address snapshot, and writes the first history row', async () => {
  const order = await newOrder('ORD-TEST-1');
  const placed = await ctx.container.prisma.$transaction((tx) =>
    repository.insertPlaced(order, buyer.id, tx),
  );
  expect(placed).not.toBeNull();
  const read = await repository.findById(placed!.id);
  expect(placed).toEqual(read);
  expect(read!.items.map((item) => item.productId)).toEqual(order.items.map((item) => item.productId));
  expect(await repository.history(placed!.id)).toEqual([
    expect.objectContaining({
      fromStatus: null,
      toStatus: 'PENDING',
      note: 'Order placed',
      changedById: buyer.id,
    }),
  ]);
});

it('a taken order number returns null and writes nothing', async () => {
  const first = await newOrder('ORD-TEST-2');
  await ctx.container.prisma.$transaction((tx) => repository.insertPlaced(first, buyer.id, tx));
  const counts = async () => {
    const [orders, items, addresses, history] = await Promise.all([
      ctx.container.prisma.order.count(),
      ctx.container.prisma.orderItem.count(),
      ctx.container.prisma.orderShippingAddress.count(),
      ctx.container.prisma.orderStatusHistory.count(),
    ]);
    return { orders, items, addresses, history };
  };
  const before = await counts();
  const second = await newOrder('ORD-TEST-2');
  const placed = await ctx.container.prisma.$transaction((tx) =>
    repository.insertPlaced(second, buyer.id, tx),
  );
  expect(placed).toBeNull();
  expect(await counts()).toEqual(before);
});

it('findById inside a transaction reads what a read outside finds, one statement at a time on its connection', async () => {
  const order = await newOrder('ORD-TEST-3');
  const placed = await ctx.container.prisma.$transaction((tx) =>
    repository.insertPlaced(order, buyer.id, tx),
  );
  await ctx.container.prisma.payment.create({ data: { orderId: placed!.id, amount: '53.70' } });
  // Prisma loads several relations at once inside an interactive transaction, all on its one connection: pg warns
  // "already executing a query" (pg@9 refuses). Watch every query pg is handed for a client still busy.
  const overlapping: string[] = [];
  const query = Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;
  const watch = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args) {
    const state = this as unknown as { _activeQuery: unknown; _queryQueue: unknown[] };
    if (state._activeQuery || state._queryQueue.length > 0)
      overlapping.push(String((args[0] as { text?: string }).text ?? args[0]).slice(0, 80));
    return query.apply(this, args) as never;
  });
  try {
    const inside = await ctx.container.prisma.$transaction((tx) => repository.findById(placed!.id, tx));
    expect(inside).toEqual(await repository.findById(placed!.id));
    expect(inside!.payments).toHaveLength(1);
    expect(inside!.items).toHaveLength(2);
    expect(await ctx.container.prisma.$transaction((tx) => repository.findById(UNKNOWN_ID, tx))).toBeNull();
    expect(watch).toHaveBeenCalled();
  } finally {
    watch.mockRestore();
  }
  expect(overlapping).toEqual([]);
});
