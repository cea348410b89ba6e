import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createOrder, createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let author: TestUser;
let other: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  [author, other, admin] = await Promise.all([
    register(ctx.app, { firstName: 'Ada', lastName: 'Lovelace' }),
    register(ctx.app, { firstName: 'Alan', lastName: 'Turing' }),
    registerAdmin(ctx),
  ]);
});
afterAll(async () => {
  await ctx?.close();
});

const listReviews = (productId: number | string, query = '') =>
  request(ctx.app).get(`${API}/products/${productId}/reviews${query}`);
const postReview = (productId: number | string, body: unknown, user?: TestUser) => {
  const req = request(ctx.app).post(`${API}/products/${productId}/reviews`);
  if (user) req.set(bearer(user.token));
  return req.send(body as object);
};
const deleteReview = (reviewId: number | string, user?: TestUser) => {
  const req = request(ctx.app).delete(`${API}/reviews/${reviewId}`);
  if (user) req.set(bearer(user.token));
  return req;
};

async function aggregate(productId: number) {
  const product = await ctx.container.prisma.product.findUniqueOrThrow({
    where: { id: productId },
    select: { rating: true, ratingTotal: true, reviewCount: true },
  });
  return {
    rating: Number(product.rating),
    ratingTotal: product.ratingTotal,
    reviewCount: product.reviewCount,
  };
}

const productDetail = (productId: number) => request(ctx.app).get(`${API}/products/${productId}`);
const productList = (brand: string) =>
  request(ctx.app).get(`${API}/products?brand=${encodeURIComponent(brand)}`);

/** Reads the product's detail and a list containing it until both are cached (second read → X-Cache HIT). */
async function warmProductCaches(productId: number, brand: string): Promise<void> {
  for (const read of [() => productDetail(productId), () => productList(brand)]) {
    expect((await read()).status).toBe(200);
    const cached = await read();
    expect(cached.status).toBe(200);
    expect(cached.headers['x-cache']).toBe('HIT');
  }
}

/** rating and reviewCount as the (cached) product detail and product list show them. */
async function shownFigures(productId: number, brand: string) {
  const [detail, list] = await Promise.all([productDetail(productId), productList(brand)]);
  expect(detail.status).toBe(200);
  expect(list.status).toBe(200);
  const listed = list.body.data.products.find((p: { id: number }) => p.id === productId);
  return {
    detail: { rating: detail.body.data.rating, reviewCount: detail.body.data.reviewCount },
    list: { rating: listed.rating, reviewCount: listed.reviewCount },
    newestReviewIds: detail.body.data.reviews.map((r: { id: number }) => r.id) as number[],
  };
}

const review = { rating: 4, comment: 'Solid and well made.' };

describe('GET /products/:id/reviews', () => {
  test('lists reviews newest first with { reviews, total, skip, limit }, public fields only', async () => {
    const product = await createProduct(ctx);
    const users = [author, other, admin];
    for (const [i, user] of users.entries()) {
      expect((await postReview(product.id, { rating: i + 3, comment: `Review ${i}` }, user)).status).toBe(
        201,
      );
    }

    const res = await listReviews(product.id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 3, skip: 0, limit: 30 });
    expect(res.body.data.reviews.map((r: { comment: string }) => r.comment)).toEqual([
      'Review 2',
      'Review 1',
      'Review 0',
    ]);
    const oldest = res.body.data.reviews[2];
    expect(oldest).toEqual({
      id: expect.any(Number),
      productId: product.id,
      userId: author.id,
      rating: 3,
      comment: 'Review 0',
      reviewerName: 'Ada Lovelace',
      isVerifiedPurchase: false,
      date: expect.any(String),
      createdAt: oldest.date,
    });
    expect(JSON.stringify(res.body)).not.toContain(author.email);

    const page = await listReviews(product.id, '?skip=1&limit=1');
    expect(page.status).toBe(200);
    expect(page.body.data).toMatchObject({ total: 3, skip: 1, limit: 1 });
    expect(page.body.data.reviews.map((r: { comment: string }) => r.comment)).toEqual(['Review 1']);
  });

  test('an active product without reviews → an empty list', async () => {
    const product = await createProduct(ctx);
    const res = await listReviews(product.id);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ reviews: [], total: 0, skip: 0, limit: 30 });
  });

  test('unknown, inactive and soft-deleted products → 404 PRODUCT_NOT_FOUND', async () => {
    const inactive = await createProduct(ctx, { isActive: false });
    const deleted = await createProduct(ctx, { deletedAt: new Date() });
    for (const id of [999_999, inactive.id, deleted.id]) {
      expectError(await listReviews(id), 404, 'PRODUCT_NOT_FOUND');
    }
  });

  test('a non-integer id → 400, never another product', async () => {
    await createProduct(ctx);
    for (const id of ['abc', '1.5', '1e3', '0', '-1', '99999999999']) {
      const body = expectError(await listReviews(id), 400, 'VALIDATION_ERROR');
      expect(body.details).toHaveProperty('id');
    }
  });

  test('skip/limit out of range → 400 with the field in details', async () => {
    const product = await createProduct(ctx);
    for (const [query, field] of [
      ['?limit=101', 'limit'],
      ['?limit=0', 'limit'],
      ['?skip=-1', 'skip'],
      ['?skip=x', 'skip'],
    ]) {
      const body = expectError(await listReviews(product.id, query), 400, 'VALIDATION_ERROR');
      expect(body.details).toHaveProperty(field);
    }
  });
});

describe('POST /products/:id/reviews', () => {
  test('without a token → 401, nothing stored', async () => {
    const product = await createProduct(ctx);
    expectError(await postReview(product.id, review), 401, 'UNAUTHORIZED');
    expect(await ctx.container.prisma.review.count({ where: { productId: product.id } })).toBe(0);
  });

  test('201 with the review (comment trimmed), visible at once; rating and reviewCount updated', async () => {
    const product = await createProduct(ctx);
    const res = await postReview(product.id, { rating: 5, comment: '  Excellent!  ' }, author);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 201, meta: { requestId: expect.any(String) } });
    expect(res.body.data).toEqual({
      id: expect.any(Number),
      productId: product.id,
      userId: author.id,
      rating: 5,
      comment: 'Excellent!',
      reviewerName: 'Ada Lovelace',
      isVerifiedPurchase: false,
      date: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(await aggregate(product.id)).toEqual({ rating: 5, ratingTotal: 5, reviewCount: 1 });

    const list = await listReviews(product.id);
    expect(list.body.data.reviews).toEqual([res.body.data]);

    expect((await postReview(product.id, { rating: 4, comment: 'Good' }, other)).status).toBe(201);
    expect((await postReview(product.id, { rating: 4, comment: 'Fine' }, admin)).status).toBe(201);
    // 13 / 3 = 4.333… → 4.33
    expect(await aggregate(product.id)).toEqual({ rating: 4.33, ratingTotal: 13, reviewCount: 3 });
  });

  test('read-your-write: the cached product detail and list show the new rating, count and review at once', async () => {
    const brand = `Brand-${Date.now()}-create`;
    const product = await createProduct(ctx, { brand });
    await warmProductCaches(product.id, brand);

    const res = await postReview(product.id, { rating: 3, comment: 'Average' }, author);
    expect(res.status).toBe(201);
    expect(await shownFigures(product.id, brand)).toEqual({
      detail: { rating: 3, reviewCount: 1 },
      list: { rating: 3, reviewCount: 1 },
      newestReviewIds: [res.body.data.id],
    });
  });

  test.each([
    ['rating 6', { rating: 6, comment: 'x' }, 'rating'],
    ['rating 0', { rating: 0, comment: 'x' }, 'rating'],
    ['rating 3.5', { rating: 3.5, comment: 'x' }, 'rating'],
    ['rating as a string', { rating: '5', comment: 'x' }, 'rating'],
    ['missing rating', { comment: 'x' }, 'rating'],
    ['missing comment', { rating: 5 }, 'comment'],
    ['blank comment', { rating: 5, comment: '   ' }, 'comment'],
    ['comment over 2000 characters', { rating: 5, comment: 'a'.repeat(2001) }, 'comment'],
    ['comment not a string', { rating: 5, comment: 42 }, 'comment'],
  ])('%s → 400 VALIDATION_ERROR naming the field', async (_label, body, field) => {
    const product = await createProduct(ctx);
    const res = expectError(await postReview(product.id, body, author), 400, 'VALIDATION_ERROR');
    expect(res.details).toHaveProperty(field);
    expect(await aggregate(product.id)).toEqual({ rating: 0, ratingTotal: 0, reviewCount: 0 });
  });

  test('a comment of exactly 2000 characters is accepted', async () => {
    const product = await createProduct(ctx);
    const res = await postReview(product.id, { rating: 1, comment: 'b'.repeat(2000) }, author);
    expect(res.status).toBe(201);
    expect(res.body.data.comment).toHaveLength(2000);
  });

  test('unknown, inactive and soft-deleted products → 404 PRODUCT_NOT_FOUND, nothing stored', async () => {
    const inactive = await createProduct(ctx, { isActive: false });
    const deleted = await createProduct(ctx, { deletedAt: new Date() });
    for (const id of [999_999, inactive.id, deleted.id]) {
      expectError(await postReview(id, review, author), 404, 'PRODUCT_NOT_FOUND');
    }
    expect(
      await ctx.container.prisma.review.count({
        where: { userId: author.id, productId: { in: [inactive.id, deleted.id] } },
      }),
    ).toBe(0);
    expect(await aggregate(inactive.id)).toEqual({ rating: 0, ratingTotal: 0, reviewCount: 0 });
  });

  test('a second review by the same user → 409 REVIEW_EXISTS, aggregate unchanged', async () => {
    const product = await createProduct(ctx);
    expect((await postReview(product.id, { rating: 5, comment: 'First' }, author)).status).toBe(201);
    expectError(await postReview(product.id, { rating: 1, comment: 'Second' }, author), 409, 'REVIEW_EXISTS');
    expect(await aggregate(product.id)).toEqual({ rating: 5, ratingTotal: 5, reviewCount: 1 });
    // Other users may still review it.
    expect((await postReview(product.id, { rating: 3, comment: 'Mine' }, other)).status).toBe(201);
    expect(await aggregate(product.id)).toEqual({ rating: 4, ratingTotal: 8, reviewCount: 2 });
  });

  test('concurrent duplicates by one user → exactly one 201, the others 409 REVIEW_EXISTS', async () => {
    const product = await createProduct(ctx);
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) => postReview(product.id, { rating: 5, comment: `Try ${i}` }, author)),
    );
    const statuses = responses.map((res) => res.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    for (const res of responses.filter((r) => r.status === 409)) expect(res.body.code).toBe('REVIEW_EXISTS');
    expect(await aggregate(product.id)).toEqual({ rating: 5, ratingTotal: 5, reviewCount: 1 });
  });

  test('N concurrent reviews from N users on one product all count: review_count = N, rating exact', async () => {
    const product = await createProduct(ctx);
    const n = 12;
    const users = await Promise.all(Array.from({ length: n }, () => register(ctx.app)));
    const ratings = users.map((_, i) => (i % 5) + 1);
    const responses = await Promise.all(
      users.map((user, i) =>
        postReview(product.id, { rating: ratings[i], comment: `Concurrent ${i}` }, user),
      ),
    );
    expect(responses.map((res) => res.status)).toEqual(Array(n).fill(201));

    const total = ratings.reduce((sum, r) => sum + r, 0); // 1+2+3+4+5+1+2+3+4+5+1+2 = 33
    expect(await aggregate(product.id)).toEqual({
      rating: Math.round((total / n) * 100) / 100, // 2.75
      ratingTotal: total,
      reviewCount: n,
    });
    expect(await ctx.container.prisma.review.count({ where: { productId: product.id } })).toBe(n);
  });

  describe('isVerifiedPurchase', () => {
    test.each(['PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED'] as const)(
      'true when the user has a %s order containing the product',
      async (status) => {
        const [product, unrelated] = await Promise.all([createProduct(ctx), createProduct(ctx)]);
        await createOrder(ctx, author.id, [unrelated.id, product.id], status);
        const res = await postReview(product.id, review, author);
        expect(res.status).toBe(201);
        expect(res.body.data.isVerifiedPurchase).toBe(true);
        const stored = await ctx.container.prisma.review.findUniqueOrThrow({
          where: { id: res.body.data.id },
        });
        expect(stored.isVerifiedPurchase).toBe(true);
      },
    );

    test.each(['PENDING', 'CANCELLED', 'REFUNDED'] as const)(
      'false when the only order containing it is %s',
      async (status) => {
        const product = await createProduct(ctx);
        await createOrder(ctx, author.id, [product.id], status);
        const res = await postReview(product.id, review, author);
        expect(res.status).toBe(201);
        expect(res.body.data.isVerifiedPurchase).toBe(false);
      },
    );

    test("false when the paid order is another user's or for another product", async () => {
      const [product, unrelated] = await Promise.all([createProduct(ctx), createProduct(ctx)]);
      await createOrder(ctx, other.id, [product.id], 'PAID');
      await createOrder(ctx, author.id, [unrelated.id], 'DELIVERED');
      const res = await postReview(product.id, review, author);
      expect(res.status).toBe(201);
      expect(res.body.data.isVerifiedPurchase).toBe(false);
    });
  });
});

describe('DELETE /reviews/:id', () => {
  async function reviewedProduct(rating = 4) {
    const product = await createProduct(ctx);
    const res = await postReview(product.id, { rating, comment: 'To be deleted' }, author);
    expect(res.status).toBe(201);
    return { product, reviewId: res.body.data.id as number, created: res.body.data };
  }

  test('without a token → 401, nothing deleted', async () => {
    const { reviewId } = await reviewedProduct();
    expectError(await deleteReview(reviewId), 401, 'UNAUTHORIZED');
    expect(await ctx.container.prisma.review.count({ where: { id: reviewId } })).toBe(1);
  });

  test('unknown review → 404 REVIEW_NOT_FOUND; non-integer id → 400', async () => {
    expectError(await deleteReview(999_999, author), 404, 'REVIEW_NOT_FOUND');
    expectError(await deleteReview('abc', author), 400, 'VALIDATION_ERROR');
  });

  test('another (non-admin) user → 404 REVIEW_NOT_FOUND; the review and the aggregate stay', async () => {
    const { product, reviewId } = await reviewedProduct(2);
    expectError(await deleteReview(reviewId, other), 404, 'REVIEW_NOT_FOUND');
    expect(await ctx.container.prisma.review.count({ where: { id: reviewId } })).toBe(1);
    expect(await aggregate(product.id)).toEqual({ rating: 2, ratingTotal: 2, reviewCount: 1 });
  });

  test('the author deletes: 200 { …review, isDeleted, deletedOn }, aggregate reversed, not audited', async () => {
    const { product, reviewId, created } = await reviewedProduct(4);
    expect((await postReview(product.id, { rating: 1, comment: 'Meh' }, other)).status).toBe(201);
    expect(await aggregate(product.id)).toEqual({ rating: 2.5, ratingTotal: 5, reviewCount: 2 });

    const res = await deleteReview(reviewId, author);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ ...created, isDeleted: true, deletedOn: expect.any(String) });
    expect(Number.isNaN(Date.parse(res.body.data.deletedOn))).toBe(false);

    expect(await ctx.container.prisma.review.count({ where: { id: reviewId } })).toBe(0);
    expect(await aggregate(product.id)).toEqual({ rating: 1, ratingTotal: 1, reviewCount: 1 });
    expect((await listReviews(product.id)).body.data.total).toBe(1);
    expect(
      await ctx.container.prisma.auditLog.count({
        where: { entityType: 'review', entityId: String(reviewId) },
      }),
    ).toBe(0);

    // Deleted twice → 404; and the author may review the product again.
    expectError(await deleteReview(reviewId, author), 404, 'REVIEW_NOT_FOUND');
    expect((await postReview(product.id, { rating: 3, comment: 'Second thoughts' }, author)).status).toBe(
      201,
    );
    expect(await aggregate(product.id)).toEqual({ rating: 2, ratingTotal: 4, reviewCount: 2 });
  });

  test('the last review deleted → rating 0, reviewCount 0', async () => {
    const { product, reviewId } = await reviewedProduct(5);
    expect((await deleteReview(reviewId, author)).status).toBe(200);
    expect(await aggregate(product.id)).toEqual({ rating: 0, ratingTotal: 0, reviewCount: 0 });
  });

  test("an admin deletes another user's review (moderation): 200, aggregate reversed, audited", async () => {
    const { product, reviewId } = await reviewedProduct(3);
    const res = await deleteReview(reviewId, admin).set('User-Agent', 'moderation-test');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: reviewId, isDeleted: true });
    expect(await aggregate(product.id)).toEqual({ rating: 0, ratingTotal: 0, reviewCount: 0 });

    const audits = await ctx.container.prisma.auditLog.findMany({
      where: { entityType: 'review', entityId: String(reviewId) },
    });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: admin.id,
      action: 'review.deleted',
      userAgent: 'moderation-test',
      requestId: res.headers['x-request-id'],
      metadata: { productId: product.id, authorId: author.id, rating: 3, moderation: true },
    });
  });

  test('a review of a product deactivated since can still be deleted, and the aggregate follows', async () => {
    const { product, reviewId } = await reviewedProduct(4);
    await ctx.container.prisma.product.update({ where: { id: product.id }, data: { isActive: false } });
    expect((await deleteReview(reviewId, author)).status).toBe(200);
    expect(await aggregate(product.id)).toEqual({ rating: 0, ratingTotal: 0, reviewCount: 0 });
  });

  test('concurrent deletes by the author and an admin: one 200, one 404, the aggregate reversed once', async () => {
    const { product, reviewId } = await reviewedProduct(4);
    expect((await postReview(product.id, { rating: 2, comment: 'Stays' }, other)).status).toBe(201);
    const responses = await Promise.all([deleteReview(reviewId, author), deleteReview(reviewId, admin)]);
    expect(responses.map((res) => res.status).sort()).toEqual([200, 404]);
    expect(await aggregate(product.id)).toEqual({ rating: 2, ratingTotal: 2, reviewCount: 1 });
  });

  test('read-your-write: the cached product detail and list drop the deleted review at once', async () => {
    const brand = `Brand-${Date.now()}-delete`;
    const product = await createProduct(ctx, { brand });
    const kept = await postReview(product.id, { rating: 5, comment: 'Keep' }, other);
    const removed = await postReview(product.id, { rating: 2, comment: 'Remove' }, author);
    expect([kept.status, removed.status]).toEqual([201, 201]);
    await warmProductCaches(product.id, brand);
    expect((await shownFigures(product.id, brand)).detail).toEqual({ rating: 3.5, reviewCount: 2 });

    expect((await deleteReview(removed.body.data.id, admin)).status).toBe(200);
    expect(await shownFigures(product.id, brand)).toEqual({
      detail: { rating: 5, reviewCount: 1 },
      list: { rating: 5, reviewCount: 1 },
      newestReviewIds: [kept.body.data.id],
    });
  });
});

test('the routes are in the OpenAPI document', async () => {
  const res = await request(ctx.app).get(`${API}/openapi.json`);
  expect(res.status).toBe(200);
  expect(Object.keys(res.body.paths)).toEqual(
    expect.arrayContaining(['/api/v1/products/{id}/reviews', '/api/v1/reviews/{id}']),
  );
  expect(res.body.paths['/api/v1/products/{id}/reviews'].post.security).toEqual([{ bearerAuth: [] }]);
});
