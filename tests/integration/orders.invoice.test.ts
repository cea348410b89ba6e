import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { orderItems } from '../helpers/order-flows';
import { SHIPPING_ADDRESS } from '../helpers/orders';
import { pdfText } from '../helpers/pdf';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let buyer: TestUser;
let admin: TestUser;

const SHOP_NAME = 'Analytical Engines Ltd';

beforeAll(async () => {
  ctx = await createTestContext({ SHOP_NAME });
});

beforeEach(async () => {
  await ctx.reset();
  [buyer, admin] = await Promise.all([register(ctx.app), registerAdmin(ctx)]);
});

afterAll(async () => {
  await ctx?.close();
});

/** GET the invoice: a PDF body as bytes (supertest would decode it as text), an error envelope as JSON. */
const invoice = (orderId: string, user?: TestUser) => {
  const req = request(ctx.app)
    .get(`${API}/orders/${orderId}/invoice`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const json = String(res.headers['content-type']).startsWith('application/json');
        done(null, json ? JSON.parse(body.toString()) : body);
      });
    });
  return user ? req.set(bearer(user.token)) : req;
};

async function placeTwoLineOrder() {
  const gear = await createProduct(ctx, { title: 'Brass Gear Wheel', price: '12.50', stock: 10 });
  const card = await createProduct(ctx, { title: 'Punched Card Deck', price: '1234.56', stock: 10 });
  const order = await orderItems(ctx, buyer, [
    { productId: gear.id, quantity: 3 },
    { productId: card.id, quantity: 1 },
  ]);
  return { gear, card, order };
}

describe('GET /orders/:id/invoice', () => {
  it('renders a PDF of the order from its snapshots: shop, number, lines, totals, address', async () => {
    const { gear, card, order } = await placeTwoLineOrder();
    // Catalogue changes after the order do not reach its invoice.
    await ctx.container.prisma.product.update({
      where: { id: gear.id },
      data: { title: 'Renamed Gear', price: '99.00' },
    });

    const res = await invoice(order.id, buyer);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="invoice-${order.orderNumber}.pdf"`);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const { text } = await pdfText(pdf);
    for (const expected of [
      SHOP_NAME,
      order.orderNumber,
      'Brass Gear Wheel',
      gear.sku,
      '$12.50',
      '$37.50',
      'Punched Card Deck',
      card.sku,
      '$1,234.56',
      // 1,272.06 subtotal, 8 % tax 101.76, free shipping from 100.00.
      '$1,272.06',
      '$101.76',
      '$0.00',
      '$1,373.82',
      `${SHIPPING_ADDRESS.firstName} ${SHIPPING_ADDRESS.lastName}`,
      SHIPPING_ADDRESS.address,
      `${SHIPPING_ADDRESS.city}, ${SHIPPING_ADDRESS.state} ${SHIPPING_ADDRESS.zipCode}`,
    ]) {
      expect(text).toContain(expected);
    }
    expect(order.total).toBe(1373.82);
    expect(text).not.toContain('Renamed Gear');
  });

  it("another user's order → 404 ORDER_NOT_FOUND; an admin gets any order's invoice", async () => {
    const { order } = await placeTwoLineOrder();
    const stranger = await register(ctx.app);
    expectError(await invoice(order.id, stranger), 404, 'ORDER_NOT_FOUND');

    const asAdmin = await invoice(order.id, admin);
    expect(asAdmin.status).toBe(200);
    expect((await pdfText(asAdmin.body as Buffer)).text).toContain(order.orderNumber);
  });

  it('unknown order → 404, malformed id → 400, no token → 401', async () => {
    expectError(await invoice('00000000-0000-4000-8000-000000000000', buyer), 404, 'ORDER_NOT_FOUND');
    expectError(await invoice('not-an-order', buyer), 400, 'VALIDATION_ERROR');
    expectError(await invoice('00000000-0000-4000-8000-000000000000'), 401, 'UNAUTHORIZED');
  });

  it('is documented as application/pdf with its errors', async () => {
    const doc = (await request(ctx.app).get(`${API}/openapi.json`)).body;
    const operation = doc.paths['/api/v1/orders/{id}/invoice'].get;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['application/pdf']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404']));
  });
});
