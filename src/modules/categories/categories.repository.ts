import type { Db, DbClient } from '../../lib/prisma';

export interface CategoryRecord {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  image: string | null;
  parentId: number | null;
  sortOrder: number;
  createdAt: Date;
  updatedAt: Date;
}

const categorySelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  image: true,
  parentId: true,
  sortOrder: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface CategoryWriteData {
  slug: string;
  name: string;
  description: string | null;
  image: string | null;
  parentId: number | null;
  sortOrder: number;
}

/** Arbitrary constant: every write to the category tree takes this transaction-level advisory lock. */
const TREE_LOCK_KEY = 72_707_370;

/** Every SQL statement on categories. */
export class CategoryRepository {
  constructor(private readonly db: Db) {}

  all(tx: DbClient = this.db): Promise<CategoryRecord[]> {
    return tx.category.findMany({ select: categorySelect, orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }] });
  }

  findBySlug(slug: string, tx: DbClient = this.db): Promise<CategoryRecord | null> {
    return tx.category.findUnique({ where: { slug }, select: categorySelect });
  }

  /** Visible products per category (direct members only): one index-only aggregate over `(category_id, is_active…)`. */
  async visibleProductCounts(): Promise<Map<number, number>> {
    const rows = await this.db.$queryRaw<Array<{ categoryId: number; count: number }>>`
      SELECT category_id AS "categoryId", count(*)::int AS count
        FROM products
       WHERE is_active = true
       GROUP BY category_id`;
    return new Map(rows.map((row) => [row.categoryId, row.count]));
  }

  /** Ids of the category and all its descendants; null when the slug is unknown. */
  async subtreeIds(slug: string): Promise<number[] | null> {
    const rows = await this.db.$queryRaw<Array<{ id: number }>>`
      WITH RECURSIVE subtree AS (
        SELECT id FROM categories WHERE slug = ${slug}
        UNION
        SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
      )
      SELECT id FROM subtree`;
    return rows.length === 0 ? null : rows.map((row) => row.id);
  }

  /** Ids of the category and its ancestors up to the root. */
  async ancestorIds(id: number, tx: DbClient): Promise<number[]> {
    const rows = await tx.$queryRaw<Array<{ id: number }>>`
      WITH RECURSIVE chain AS (
        SELECT id, parent_id FROM categories WHERE id = ${id}
        UNION
        SELECT c.id, c.parent_id FROM categories c JOIN chain ON c.id = chain.parent_id
      )
      SELECT id FROM chain`;
    return rows.map((row) => row.id);
  }

  /** Serialises tree writes (cycle checks and emptiness checks must not race each other). */
  async lockTree(tx: DbClient): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TREE_LOCK_KEY}::bigint)`;
  }

  /** Children and products (soft-deleted ones too: they still reference it) of a category. */
  async dependents(id: number, tx: DbClient): Promise<{ children: number; products: number }> {
    const [row] = await tx.$queryRaw<Array<{ children: number; products: number }>>`
      SELECT (SELECT count(*) FROM categories WHERE parent_id = ${id})::int AS children,
             (SELECT count(*) FROM products WHERE category_id = ${id})::int AS products`;
    return row;
  }

  create(data: CategoryWriteData, tx: DbClient): Promise<CategoryRecord> {
    return tx.category.create({ data, select: categorySelect });
  }

  update(id: number, data: Partial<CategoryWriteData>, tx: DbClient): Promise<CategoryRecord> {
    return tx.category.update({ where: { id }, data, select: categorySelect });
  }

  async delete(id: number, tx: DbClient): Promise<void> {
    await tx.category.delete({ where: { id } });
  }
}
