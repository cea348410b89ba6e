import { randomBytes } from 'node:crypto';
import { AppError, ConflictError, NotFoundError, ServiceUnavailableError } from '../../common/errors';
import { discountedPrice, toMajor, toMinor, type Minor } from '../../common/money';
import type { ActorContext, RequestContext } from '../../common/request-context';
import type { CartProductRow, ProductRepository } from '../products/products.repository';
import { MAX_CART_LINES, MAX_LINE_QUANTITY, type CartItem, type CartView } from './cart.schemas';
import type { CartLimits, CartOwner, CartStore, StoredCart } from './cart.store';

/** A line to order: what checkout takes from the cart and gives back after commit. */
export interface CartLine {
  productId: number;
  quantity: number;
}

export interface CartOptions {
  currency: string;
}

/** How many times a merge re-reads a guest cart that changed between pricing and merging. */
const MERGE_ATTEMPTS = 3;

const LIMITS: CartLimits = { maxQuantity: MAX_LINE_QUANTITY, maxLines: MAX_CART_LINES };

function insufficientStock(productId: number, requested: number, available: number): ConflictError {
  return new ConflictError('Not enough stock for the requested quantity', 'INSUFFICIENT_STOCK', [
    { productId, requested, available },
  ]);
}

/** A new guest session id: 256 random bits, base64url. */
function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Carts: guest carts by session id, signed-in carts by user (the actor always wins over a session id). The cart
 * keeps product ids and quantities only; every view prices its lines fresh from the catalogue in one query.
 */
export class CartService {
  constructor(
    private readonly store: CartStore,
    private readonly products: ProductRepository,
    private readonly options: CartOptions,
  ) {}

  /** The caller's cart: the actor's, else the session's, else an empty guest cart (nothing is created). */
  async view(context: RequestContext, sessionId: string | undefined): Promise<CartView> {
    const owner = this.owner(context, sessionId);
    if (!owner) {
      this.store.assertAvailable();
      return this.render(undefined, { lines: new Map(), expiresAt: null });
    }
    return this.render(owner, await this.store.read(owner));
  }

  /**
   * Adds to the line (creating it). A guest without a session, or with a session id that names no cart (expired,
   * made up), gets a new session: the API never adopts an id it did not issue.
   */
  async addItem(
    context: RequestContext,
    sessionId: string | undefined,
    productId: number,
    quantity: number,
  ): Promise<CartView> {
    this.store.assertAvailable();
    const [product] = await this.products.findForCart([productId]);
    if (!product?.available) throw new NotFoundError('Product');
    const add = (owner: CartOwner, mustExist: boolean) =>
      this.store.add(owner, productId, quantity, product.stock, LIMITS, mustExist);
    let owner = this.owner(context, sessionId) ?? { sessionId: newSessionId() };
    let outcome = await add(owner, !context.actor && sessionId !== undefined);
    if (outcome.status === 'UNKNOWN_CART') {
      owner = { sessionId: newSessionId() };
      outcome = await add(owner, false);
    }
    switch (outcome.status) {
      case 'OK':
        return this.render(owner, outcome.cart);
      case 'INSUFFICIENT_STOCK':
        throw insufficientStock(productId, outcome.current + quantity, product.stock);
      case 'QUANTITY_LIMIT':
        throw new ConflictError(
          `A cart line holds at most ${MAX_LINE_QUANTITY} units`,
          'CART_QUANTITY_LIMIT',
          [{ productId, requested: outcome.current + quantity, max: MAX_LINE_QUANTITY }],
        );
      case 'LINE_LIMIT':
        throw new ConflictError(`A cart holds at most ${MAX_CART_LINES} lines`, 'CART_LINE_LIMIT', {
          maxLines: MAX_CART_LINES,
        });
      case 'UNKNOWN_CART':
        throw new Error('a new cart cannot be unknown');
    }
  }

  /** Sets a line's quantity; 0 removes it. Only a line in the cart can be set (else 404 CART_ITEM_NOT_FOUND). */
  async updateItem(
    context: RequestContext,
    sessionId: string | undefined,
    productId: number,
    quantity: number,
  ): Promise<CartView> {
    const owner = this.requireOwner(context, sessionId);
    let stock = 0;
    if (quantity > 0) {
      const [product] = await this.products.findForCart([productId]);
      // The line may exist for a product that has since gone: it can only be removed.
      if (!product?.available) throw new NotFoundError('Product');
      stock = product.stock;
    }
    const outcome = await this.store.set(owner, productId, quantity, stock);
    if (outcome.status === 'NOT_FOUND') throw new NotFoundError('Cart item');
    if (outcome.status === 'INSUFFICIENT_STOCK') throw insufficientStock(productId, quantity, stock);
    return this.render(owner, outcome.cart);
  }

  async removeItem(
    context: RequestContext,
    sessionId: string | undefined,
    productId: number,
  ): Promise<CartView> {
    const owner = this.requireOwner(context, sessionId);
    const cart = await this.store.remove(owner, productId);
    if (!cart) throw new NotFoundError('Cart item');
    return this.render(owner, cart);
  }

  async clear(context: RequestContext, sessionId: string | undefined): Promise<CartView> {
    const owner = this.owner(context, sessionId);
    if (owner) await this.store.clear(owner);
    else this.store.assertAvailable();
    return this.render(owner, { lines: new Map(), expiresAt: null });
  }

  /**
   * Adds the guest session's lines to the signed-in user's cart, each capped at the product's stock (lines of
   * products no longer sold are dropped) and at the line bounds; the guest cart is deleted. Atomic in Redis: two
   * merges racing add the guest's lines once.
   */
  async merge(context: ActorContext, sessionId: string): Promise<CartView> {
    const guest: CartOwner = { sessionId };
    const user: CartOwner = { userId: context.actor.id };
    for (let attempt = 1; ; attempt++) {
      const guestLines = await this.store.peek(guest);
      const rows = await this.products.findForCart([...guestLines.keys()]);
      const stock = new Map<number, number>([...guestLines.keys()].map((id) => [id, 0]));
      for (const row of rows) if (row.available) stock.set(row.id, row.stock);
      const merged = await this.store.merge(guest, user, stock, LIMITS);
      if (merged) return this.render(user, merged.cart);
      if (attempt >= MERGE_ATTEMPTS) {
        throw new ConflictError('The guest cart kept changing; try again', 'CART_MERGE_CONFLICT');
      }
    }
  }

  /**
   * For checkout: the signed-in user's cart lines, in product-id order. 400 CART_EMPTY for an empty cart; 409
   * CART_ITEM_UNAVAILABLE (details `[{ productId }]`) when a line's product was deleted or deactivated.
   */
  async linesForCheckout(userId: number): Promise<CartLine[]> {
    const { lines } = await this.store.read({ userId });
    if (lines.size === 0) throw new AppError(400, 'CART_EMPTY', 'The cart is empty');
    const rows = await this.products.findForCart([...lines.keys()]);
    const available = new Set(rows.filter((row) => row.available).map((row) => row.id));
    const unavailable = [...lines.keys()].filter((id) => !available.has(id)).sort((a, b) => a - b);
    if (unavailable.length > 0) {
      throw new ConflictError(
        'Some products in the cart are no longer available; remove them to check out',
        'CART_ITEM_UNAVAILABLE',
        unavailable.map((productId) => ({ productId })),
      );
    }
    return [...lines]
      .map(([productId, quantity]) => ({ productId, quantity }))
      .sort((a, b) => a.productId - b.productId);
  }

  /**
   * After an order commits: takes exactly the ordered quantities out of the user's cart in one atomic step, so
   * lines added (or raised) while the order was placed stay. Never fails the committed order: with Redis
   * unavailable (logged by the store) the lines simply stay in the cart.
   */
  async removeOrderedLines(userId: number, lines: CartLine[]): Promise<void> {
    if (lines.length === 0) return;
    try {
      await this.store.subtract({ userId }, lines);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
    }
  }

  private owner(context: RequestContext, sessionId: string | undefined): CartOwner | undefined {
    if (context.actor) return { userId: context.actor.id };
    return sessionId === undefined ? undefined : { sessionId };
  }

  /** A write to an existing line of a guest without a session can only miss. */
  private requireOwner(context: RequestContext, sessionId: string | undefined): CartOwner {
    const owner = this.owner(context, sessionId);
    if (owner) return owner;
    this.store.assertAvailable();
    throw new NotFoundError('Cart item');
  }

  /** Prices every line from one catalogue query. */
  private async render(owner: CartOwner | undefined, cart: StoredCart): Promise<CartView> {
    const rows = await this.products.findForCart([...cart.lines.keys()]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const lines = [...cart.lines]
      .sort(([a], [b]) => a - b)
      .map(([productId, quantity]) => pricedLine(productId, quantity, byId.get(productId)));
    let subtotal: Minor = 0;
    let itemCount = 0;
    for (const { item, lineTotal } of lines) {
      if (!item.available) continue;
      subtotal += lineTotal;
      itemCount += item.quantity;
    }
    return {
      id: !owner ? '' : 'userId' in owner ? `user:${owner.userId}` : `session:${owner.sessionId}`,
      sessionId: owner && 'sessionId' in owner ? owner.sessionId : null,
      items: lines.map((line) => line.item),
      itemCount,
      subtotal: toMajor(subtotal),
      currency: this.options.currency,
      expiresAt: cart.expiresAt?.toISOString() ?? null,
    };
  }
}

/** A line priced from its product row (none: the product no longer exists, nothing about it is known). */
function pricedLine(
  productId: number,
  quantity: number,
  product: CartProductRow | undefined,
): { item: CartItem; lineTotal: Minor } {
  if (!product) {
    const item: CartItem = {
      itemId: productId,
      productId,
      title: null,
      thumbnail: null,
      price: null,
      discountPercentage: null,
      unitPrice: null,
      quantity,
      lineTotal: null,
      stock: 0,
      available: false,
    };
    return { item, lineTotal: 0 };
  }
  const price = toMinor(product.price);
  const discountPercentage = Number(product.discountPercentage);
  const unitPrice = discountedPrice(price, discountPercentage);
  const lineTotal = unitPrice * quantity;
  const item: CartItem = {
    itemId: productId,
    productId,
    title: product.title,
    thumbnail: product.thumbnail,
    price: toMajor(price),
    discountPercentage,
    unitPrice: toMajor(unitPrice),
    quantity,
    lineTotal: toMajor(lineTotal),
    stock: product.available ? product.stock : 0,
    available: product.available,
  };
  return { item, lineTotal };
}
