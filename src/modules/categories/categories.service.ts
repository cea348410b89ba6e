import { ConflictError, NotFoundError, ValidationError } from '../../common/errors';
import type { ActorContext } from '../../common/request-context';
import type { CacheResult } from '../../lib/cache';
import { isUniqueViolation, type TransactionRunner, type Tx } from '../../lib/prisma';
import type { AuditService } from '../audit/audit.service';
import { CATALOGUE_CACHES, CATEGORIES_CACHE, type CatalogueCache } from '../catalogue/catalogue-cache';
import type { CategoryRecord, CategoryRepository, CategoryWriteData } from './categories.repository';
import type { CategoryNode, CreateCategoryInput, UpdateCategoryInput } from './categories.schemas';
import { slugify } from '../catalogue/slug';

export interface CategoryDetail extends CategoryNode {
  ancestors: Array<{ slug: string; name: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface CategorySummary {
  slug: string;
  name: string;
  parentSlug: string | null;
  productCount: number;
}

interface Tree {
  roots: CategoryNode[];
  bySlug: Map<string, { node: CategoryNode; record: CategoryRecord }>;
  byId: Map<number, CategoryRecord>;
}

const categoryNotFound = () => new NotFoundError('Category');

/**
 * The category tree: public reads are served cache-aside (namespace `categories`); admin writes are serialised by a
 * transaction-level advisory lock (so two moves cannot form a cycle together), audited in the same transaction,
 * and invalidate the catalogue caches after the commit, before the response.
 */
export class CategoryService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly categories: CategoryRepository,
    private readonly audit: AuditService,
    private readonly cache: CatalogueCache,
  ) {}

  /** The whole tree, roots first, siblings by sortOrder then name. */
  tree(): Promise<CacheResult> {
    return this.cache.getOrLoad(CATEGORIES_CACHE, 'tree', async () => (await this.buildTree()).roots);
  }

  /** `/products/categories`: the tree flattened depth-first. */
  summaries(): Promise<CacheResult> {
    return this.cache.getOrLoad(CATEGORIES_CACHE, 'summaries', async () => {
      const out: CategorySummary[] = [];
      const walk = (nodes: CategoryNode[]) => {
        for (const node of nodes) {
          out.push({
            slug: node.slug,
            name: node.name,
            parentSlug: node.parentSlug,
            productCount: node.productCount,
          });
          walk(node.children);
        }
      };
      walk((await this.buildTree()).roots);
      return out;
    });
  }

  detail(slug: string): Promise<CacheResult> {
    return this.cache.getOrLoad(CATEGORIES_CACHE, `slug:${slug}`, async () => {
      const tree = await this.buildTree();
      const entry = tree.bySlug.get(slug);
      if (!entry) throw categoryNotFound();
      const ancestors: Array<{ slug: string; name: string }> = [];
      const seen = new Set<number>([entry.record.id]);
      let parentId = entry.record.parentId;
      while (parentId !== null && !seen.has(parentId)) {
        seen.add(parentId);
        const parent = tree.byId.get(parentId);
        if (!parent) break;
        ancestors.unshift({ slug: parent.slug, name: parent.name });
        parentId = parent.parentId;
      }
      const detail: CategoryDetail = {
        ...entry.node,
        ancestors,
        createdAt: entry.record.createdAt.toISOString(),
        updatedAt: entry.record.updatedAt.toISOString(),
      };
      return detail;
    });
  }

  async create(context: ActorContext, input: CreateCategoryInput): Promise<CategoryDetail> {
    const slug = input.slug ?? slugify(input.name, 100);
    if (!slug) throw new ValidationError({ slug: ['Cannot be derived from the name; give a slug'] });
    const created = await this.write(async (tx) => {
      await this.categories.lockTree(tx);
      const parentId = await this.resolveParent(input.parentSlug ?? null, tx);
      const category = await this.categories.create(
        {
          slug,
          name: input.name,
          description: input.description ?? null,
          image: input.image ?? null,
          parentId,
          sortOrder: input.sortOrder,
        },
        tx,
      );
      await this.audit.record(
        context,
        {
          action: 'category.created',
          entityType: 'category',
          entityId: category.id,
          metadata: { slug, name: input.name, parentSlug: input.parentSlug ?? null },
        },
        tx,
      );
      return category;
    });
    return this.readDetail(created.slug);
  }

  async update(context: ActorContext, slug: string, input: UpdateCategoryInput): Promise<CategoryDetail> {
    const updated = await this.write(async (tx) => {
      await this.categories.lockTree(tx);
      const current = await this.categories.findBySlug(slug, tx);
      if (!current) throw categoryNotFound();
      const data: Partial<CategoryWriteData> = {};
      if (input.name !== undefined) data.name = input.name;
      if (input.slug !== undefined) data.slug = input.slug;
      if (input.description !== undefined) data.description = input.description;
      if (input.image !== undefined) data.image = input.image;
      if (input.sortOrder !== undefined) data.sortOrder = input.sortOrder;
      if (input.parentSlug !== undefined) {
        const parentId = await this.resolveParent(input.parentSlug, tx);
        // Moving under itself or one of its descendants would make a cycle: the new parent's ancestor chain
        // must not contain the category.
        if (parentId !== null && (await this.categories.ancestorIds(parentId, tx)).includes(current.id)) {
          throw new ConflictError(
            'A category cannot be moved under itself or one of its sub-categories',
            'CATEGORY_CYCLE',
            { parentSlug: [`"${input.parentSlug}" is "${slug}" or one of its sub-categories`] },
          );
        }
        data.parentId = parentId;
      }
      const category = await this.categories.update(current.id, data, tx);
      await this.audit.record(
        context,
        {
          action: 'category.updated',
          entityType: 'category',
          entityId: current.id,
          metadata: { slug, changes: { ...input } },
        },
        tx,
      );
      return category;
    });
    return this.readDetail(updated.slug);
  }

  async delete(
    context: ActorContext,
    slug: string,
  ): Promise<{ id: number; slug: string; isDeleted: true; deletedOn: string }> {
    const deleted = await this.write(async (tx) => {
      await this.categories.lockTree(tx);
      const current = await this.categories.findBySlug(slug, tx);
      if (!current) throw categoryNotFound();
      const { children, products } = await this.categories.dependents(current.id, tx);
      if (children > 0 || products > 0) {
        throw new ConflictError(
          `Category "${slug}" still has ${children} sub-categories and ${products} products (deleted ones included); ` +
            'move or delete them first',
          'CATEGORY_NOT_EMPTY',
          { children, products },
        );
      }
      await this.categories.delete(current.id, tx);
      await this.audit.record(
        context,
        {
          action: 'category.deleted',
          entityType: 'category',
          entityId: current.id,
          metadata: { slug, name: current.name },
        },
        tx,
      );
      return current;
    });
    return { id: deleted.id, slug: deleted.slug, isDeleted: true, deletedOn: new Date().toISOString() };
  }

  /** Runs a tree write; maps a duplicate slug to 409 and invalidates the catalogue caches after the commit. */
  private async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error, 'slug')) {
        throw new ConflictError('A category with this slug already exists', 'CONFLICT', {
          slug: ['Already in use'],
        });
      }
      throw error;
    }
    await this.cache.invalidate(...CATALOGUE_CACHES);
    return result;
  }

  private async resolveParent(parentSlug: string | null, tx: Tx): Promise<number | null> {
    if (parentSlug === null) return null;
    const parent = await this.categories.findBySlug(parentSlug, tx);
    if (!parent) throw new ValidationError({ parentSlug: [`Unknown category "${parentSlug}"`] });
    return parent.id;
  }

  private async readDetail(slug: string): Promise<CategoryDetail> {
    return JSON.parse((await this.detail(slug)).json) as CategoryDetail;
  }

  /** Two queries whatever the size of the tree: the categories, and visible products per category. */
  private async buildTree(): Promise<Tree> {
    const [records, counts] = await Promise.all([
      this.categories.all(),
      this.categories.visibleProductCounts(),
    ]);
    const byId = new Map(records.map((record) => [record.id, record]));
    const bySlug: Tree['bySlug'] = new Map();
    const nodes = new Map<number, CategoryNode>();
    for (const record of records) {
      const node: CategoryNode = {
        id: record.id,
        slug: record.slug,
        name: record.name,
        description: record.description,
        image: record.image,
        parentSlug: record.parentId === null ? null : (byId.get(record.parentId)?.slug ?? null),
        sortOrder: record.sortOrder,
        productCount: 0,
        children: [],
      };
      nodes.set(record.id, node);
      bySlug.set(record.slug, { node, record });
    }
    const roots: CategoryNode[] = [];
    for (const record of records) {
      const node = nodes.get(record.id)!;
      const parent = record.parentId === null ? undefined : nodes.get(record.parentId);
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    // Sub-category products count towards every ancestor (the tree is acyclic: writes are checked).
    const total = (node: CategoryNode, depth: number): number => {
      if (depth > 64) return 0;
      node.productCount =
        (counts.get(node.id) ?? 0) + node.children.reduce((sum, child) => sum + total(child, depth + 1), 0);
      return node.productCount;
    };
    for (const root of roots) total(root, 0);
    return { roots, bySlug, byId };
  }
}
