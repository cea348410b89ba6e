import { createProduct } from '../helpers/catalogue-fixtures';
import { postOrder, registerMany } from '../helpers/order-flows';
import { SHIPPING_ADDRESS as address } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';

// Real parallel HTTP orders for one hot product, the invariant checked in PostgreSQL afterwards. Guards against the
// lock-upgrade deadlock an explicit FOR UPDATE caused next to the order_items foreign key's KEY SHARE lock.
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

afterAll(async () => {
  await ctx.close();
});

test('flash sale: stock 20, 100 parallel buyers → exactly 20 orders, stock 0, every loser 409 INSUFFICIENT_STOCK', async () => {
  await ctx.reset();
  const product = await createProduct(ctx, { price: '9.99', stock: 20 });
  const buyers = await registerMany(ctx, 100);

  const answers = await Promise.all(
    buyers.map((buyer) =>
      postOrder(ctx, buyer, { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] }),
    ),
  );

  const statuses = answers.map((answer) => answer.status);
  expect(statuses.filter((status) => status === 201)).toHaveLength(20);
  const losers = answers.filter((answer) => answer.status !== 201);
  expect(losers).toHaveLength(80);
  for (const loser of losers) {
    expect(loser.status).toBe(409);
    expect(loser.body.code).toBe('INSUFFICIENT_STOCK');
  }
  const stored = await ctx.container.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
  expect(stored.stock).toBe(0);
  const units = await ctx.container.prisma.orderItem.aggregate({
    where: { productId: product.id },
    _sum: { quantity: true },
  });
  expect(units._sum.quantity).toBe(20);
  expect(await ctx.container.prisma.order.count()).toBe(20);
}, 120_000);
