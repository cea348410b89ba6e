import { z } from 'zod';
import { text } from '../../common/text';
import { SLUG_PATTERN } from '../catalogue/slug';

export const categorySlugParams = z.object({
  slug: text(100).toLowerCase().describe('Category slug'),
});

const slugField = z
  .string()
  .trim()
  .toLowerCase()
  .max(100)
  .regex(SLUG_PATTERN, 'Lower-case letters, digits and single dashes');

const categoryFields = {
  name: text(100),
  slug: slugField,
  description: text(1000, { allowEmpty: true }).nullable(),
  image: text(2048).nullable(),
  parentSlug: slugField.nullable().describe('Parent category; null for a top-level category'),
  sortOrder: z.number().int().min(-1_000_000).max(1_000_000),
};

export const createCategoryBody = z
  .object({
    ...categoryFields,
    slug: categoryFields.slug.optional().describe('Derived from the name when absent'),
    description: categoryFields.description.optional(),
    image: categoryFields.image.optional(),
    parentSlug: categoryFields.parentSlug.optional(),
    sortOrder: categoryFields.sortOrder.default(0),
  })
  .meta({ id: 'CreateCategory' });

export const updateCategoryBody = z
  .object(categoryFields)
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'At least one field is required')
  .meta({ id: 'UpdateCategory' });

export type CreateCategoryInput = z.output<typeof createCategoryBody>;
export type UpdateCategoryInput = z.output<typeof updateCategoryBody>;

/** A category in the tree, as the API returns it (the service builds these; the schema below documents them). */
export interface CategoryNode {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  image: string | null;
  parentSlug: string | null;
  sortOrder: number;
  productCount: number;
  children: CategoryNode[];
}

export const categoryNodeSchema: z.ZodType<CategoryNode> = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    image: z.string().nullable(),
    parentSlug: z.string().nullable(),
    sortOrder: z.number().int(),
    productCount: z.number().int().describe('Active products in the category and its sub-categories'),
    get children() {
      return z.array(categoryNodeSchema);
    },
  })
  .meta({ id: 'CategoryNode' });

export const categoryDetailSchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    image: z.string().nullable(),
    parentSlug: z.string().nullable(),
    sortOrder: z.number().int(),
    productCount: z.number().int(),
    children: z.array(categoryNodeSchema),
    ancestors: z.array(z.object({ slug: z.string(), name: z.string() })).describe('Root first'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Category' });

export const deletedCategorySchema = z
  .object({ id: z.number().int(), slug: z.string(), isDeleted: z.literal(true), deletedOn: z.string() })
  .meta({ id: 'DeletedCategory' });
