import { z } from 'zod';
import { INT32_MAX } from '../../common/int32';
import { integerId } from '../../common/ids';

/** The most of one product a cart line may hold, and the most lines a cart may hold. */
export const MAX_LINE_QUANTITY = 99;
export const MAX_CART_LINES = 50;

/** A guest session id: 32 random bytes, base64url (43 characters). Anything else is malformed → 400. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const sessionIdSchema = z
  .string()
  .regex(SESSION_ID_PATTERN, 'Must be a session id issued by this API (43 base64url characters)');

export const sessionHeaders = z.object({
  'x-session-id': sessionIdSchema.optional().meta({
    description:
      'Guest cart session (or the `sessionId` cookie). Ignored when a valid Bearer token is sent: then the cart ' +
      "is the user's. Created on the first guest write and returned in this response header and `data.sessionId`.",
  }),
});

export const mergeHeaders = z.object({
  'x-session-id': sessionIdSchema.meta({
    description: 'The guest session whose cart is merged (or the cookie)',
  }),
});

const quantity = (min: number) =>
  z
    .number()
    .int('Must be a whole number')
    .min(min)
    .max(MAX_LINE_QUANTITY, `At most ${MAX_LINE_QUANTITY} per line`);

export const addItemBody = z
  .object({
    productId: z.number().int('Must be a positive integer').positive().max(INT32_MAX),
    quantity: quantity(1),
  })
  .meta({ id: 'AddCartItem' });

export const updateItemBody = z
  .object({ quantity: quantity(0).meta({ description: '0 removes the line' }) })
  .meta({ id: 'UpdateCartItem' });

export const itemIdParams = z.object({ itemId: integerId });

export type AddItemInput = z.infer<typeof addItemBody>;
export type UpdateItemInput = z.infer<typeof updateItemBody>;

export const cartItemSchema = z
  .object({
    itemId: z.number().int().meta({ description: 'The product id' }),
    productId: z.number().int(),
    title: z.string().nullable().meta({ description: 'null when the product no longer exists' }),
    thumbnail: z.string().nullable(),
    price: z.number().nullable().meta({ description: 'Current list price' }),
    discountPercentage: z.number().nullable(),
    unitPrice: z.number().nullable().meta({ description: 'Price after the discount' }),
    quantity: z.number().int(),
    lineTotal: z.number().nullable().meta({ description: 'unitPrice × quantity' }),
    stock: z.number().int(),
    available: z.boolean().meta({
      description: 'False when the product was deleted or deactivated: such a line blocks checkout',
    }),
  })
  .meta({ id: 'CartItem' });

export type CartItem = z.infer<typeof cartItemSchema>;

export const cartSchema = z
  .object({
    id: z
      .string()
      .meta({ description: '`user:<id>` or `session:<sessionId>`; empty for a guest with no session' }),
    sessionId: z
      .string()
      .nullable()
      .meta({ description: "The guest session; null for a signed-in user's cart" }),
    items: z.array(cartItemSchema),
    itemCount: z.number().int().meta({ description: 'Units over the available lines' }),
    subtotal: z.number().meta({ description: 'Sum of the available lines' }),
    currency: z.string(),
    expiresAt: z
      .string()
      .nullable()
      .meta({ format: 'date-time', description: 'Renewed by every use (sliding); null for an empty cart' }),
  })
  .meta({ id: 'Cart' });

export type CartView = z.infer<typeof cartSchema>;
