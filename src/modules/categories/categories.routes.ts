import { z } from 'zod';
import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { CategoryController } from './categories.controller';
import {
  categoryDetailSchema,
  categoryNodeSchema,
  categorySlugParams,
  createCategoryBody,
  deletedCategorySchema,
  updateCategoryBody,
} from './categories.schemas';
import type { CategoryService } from './categories.service';

const CACHED = 'Served cache-aside from Redis (`X-Cache: HIT|MISS`).';

/** `/categories`: public reads of the tree, admin writes. */
export function categoryRoutes({ docs, guards }: RouterDeps, categories: CategoryService): ApiRouter {
  const api = new ApiRouter(docs, guards, '/categories', 'Categories');
  const controller = new CategoryController(categories);

  api.get(
    '/',
    {
      summary: 'The category tree',
      description: `Top-level categories with nested \`children\`; \`productCount\` includes sub-categories. ${CACHED}`,
      response: z.array(categoryNodeSchema),
    },
    controller.tree,
  );

  api.get(
    '/:slug',
    {
      summary: 'One category with its sub-tree and ancestors',
      description: `404 CATEGORY_NOT_FOUND for an unknown slug. ${CACHED}`,
      params: categorySlugParams,
      response: categoryDetailSchema,
      errors: [404],
    },
    controller.detail,
  );

  api.post(
    '/',
    {
      summary: 'Create a category',
      description:
        'Slug derived from the name when absent; a duplicate slug → 409 CONFLICT; unknown `parentSlug` → 400. Audited.',
      auth: 'admin',
      body: createCategoryBody,
      response: categoryDetailSchema,
      status: 201,
      errors: [409],
    },
    controller.create,
  );

  api.put(
    '/:slug',
    {
      summary: 'Update a category (partial)',
      description:
        'Renaming or moving it is reflected in product search at once. Moving a category under itself or a ' +
        'descendant → 409 CATEGORY_CYCLE; duplicate slug → 409 CONFLICT. Audited.',
      auth: 'admin',
      params: categorySlugParams,
      body: updateCategoryBody,
      response: categoryDetailSchema,
      errors: [404, 409],
    },
    controller.update,
  );

  api.delete(
    '/:slug',
    {
      summary: 'Delete an empty category',
      description:
        'A category with sub-categories or products (soft-deleted ones included) → 409 CATEGORY_NOT_EMPTY. Audited.',
      auth: 'admin',
      params: categorySlugParams,
      response: deletedCategorySchema,
      errors: [404, 409],
    },
    controller.delete,
  );

  return api;
}
