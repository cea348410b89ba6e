-- Product search: full-text ranking (a generated, weighted tsvector) and typo tolerance (pg_trgm).
--
-- Why a denormalised `category_text` column plus triggers: the search document must contain the category's name
-- (and its ancestors' names: "fashion" finds shoes), but a generated column can only read its own row. So
-- `category_text` carries "<name> <slug words>" of the category and each ancestor, and `search_vector` is a plain
-- GENERATED ALWAYS AS … STORED column over title, brand, category_text and description. Triggers rather than the
-- application keep `category_text` right, because products are also written by SQL (seed, bulk imports):
--   * BEFORE INSERT / UPDATE OF category_id on products fills it (generated columns are computed after BEFORE
--     triggers, so search_vector sees the new value);
--   * AFTER UPDATE OF name, slug, parent_id on categories refreshes the products of the whole sub-tree.
-- Stock updates (the hot write path) fire none of these triggers.
--
-- Tolerance (typos, parts of words): `search_terms` is the vocabulary of the search documents, kept by triggers,
-- with a trigram GiST index (pg_trgm). The application looks each query word up there — nearest terms by trigram
-- distance (KNN, so no similarity-threshold setting is needed) for misspellings, terms containing it for parts of
-- words — and ORs them into the tsquery, which the GIN index on search_vector answers (the pg_trgm documentation's
-- spelling-suggestion recipe). A trigram GIN index on products.title with ILIKE OR-ed into the full-text match was
-- measured first and rejected: the OR defeats the planner (sequential scans, 350 ms+ at 100k products).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- ── category_text ────────────────────────────────────────────────────────────

ALTER TABLE "products" ADD COLUMN "category_text" TEXT NOT NULL DEFAULT '';

-- "<name> <slug with spaces>" of the category and its ancestors, nearest first. Depth-bounded and UNION-deduplicated
-- so even a corrupted (cyclic) tree cannot loop.
CREATE FUNCTION catalogue_category_text(category integer) RETURNS text
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE chain(id, parent_id, slug, name, depth) AS (
    SELECT id, parent_id, slug, name, 0 FROM categories WHERE id = category
    UNION
    SELECT c.id, c.parent_id, c.slug, c.name, chain.depth + 1
      FROM categories c JOIN chain ON c.id = chain.parent_id
     WHERE chain.depth < 32
  )
  SELECT coalesce(string_agg(name || ' ' || replace(slug, '-', ' '), ' ' ORDER BY depth), '') FROM chain
$$;

CREATE FUNCTION products_fill_category_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.category_text := catalogue_category_text(NEW.category_id);
  RETURN NEW;
END
$$;

CREATE TRIGGER products_category_text
  BEFORE INSERT OR UPDATE OF category_id ON "products"
  FOR EACH ROW EXECUTE FUNCTION products_fill_category_text();

CREATE FUNCTION categories_refresh_product_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products p
     SET category_text = catalogue_category_text(p.category_id)
   WHERE p.category_id IN (
     WITH RECURSIVE subtree(id) AS (
       SELECT NEW.id
       UNION
       SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
     )
     SELECT id FROM subtree);
  RETURN NULL;
END
$$;

CREATE TRIGGER categories_product_text
  AFTER UPDATE OF name, slug, parent_id ON "categories"
  FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug
        OR OLD.parent_id IS DISTINCT FROM NEW.parent_id)
  EXECUTE FUNCTION categories_refresh_product_text();

UPDATE "products" SET category_text = catalogue_category_text(category_id);

-- ── soft deletion implies inactive ───────────────────────────────────────────

-- Storefront queries then only test `is_active`, which every catalogue index leads with, so counts are index-only
-- scans. A trigger (not a CHECK) so that writers setting only deleted_at still get a consistent row.
UPDATE "products" SET is_active = false WHERE deleted_at IS NOT NULL AND is_active;

CREATE FUNCTION products_deleted_are_inactive() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.is_active := false;
  RETURN NEW;
END
$$;

CREATE TRIGGER products_deleted_inactive
  BEFORE INSERT OR UPDATE OF deleted_at, is_active ON "products"
  FOR EACH ROW
  WHEN (NEW.deleted_at IS NOT NULL AND NEW.is_active)
  EXECUTE FUNCTION products_deleted_are_inactive();

-- ── category pages ──────────────────────────────────────────────────────────

-- Replaces (category_id, is_active): the price-sorted keyset range of one category is an index range, and counts
-- with category + price/rating/stock filters are index-only.
DROP INDEX "products_category_id_is_active_idx";
CREATE INDEX "products_category_id_is_active_price_id_rating_stock_idx"
  ON "products" ("category_id", "is_active", "price", "id", "rating", "stock");

-- ── search_vector: generated ─────────────────────────────────────────────────

-- Title weighs most (A), then brand and category (B), then description (C). 'english' everywhere so stems agree
-- with to_tsquery('english', …) in the queries.
DROP INDEX "products_search_vector_idx";
ALTER TABLE "products" DROP COLUMN "search_vector";
ALTER TABLE "products" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', coalesce("title", '')), 'A') ||
  setweight(to_tsvector('english', coalesce("brand", '')), 'B') ||
  setweight(to_tsvector('english', coalesce("category_text", '')), 'B') ||
  setweight(to_tsvector('english', coalesce("description", '')), 'C')
) STORED;
CREATE INDEX "products_search_vector_idx" ON "products" USING GIN ("search_vector");

-- ── the vocabulary ──────────────────────────────────────────────────────────

CREATE TABLE "search_terms" (
    "term" TEXT NOT NULL,

    CONSTRAINT "search_terms_pkey" PRIMARY KEY ("term")
);
CREATE INDEX "search_terms_term_trgm_idx" ON "search_terms" USING GIST ("term" gist_trgm_ops);

-- Lower-case words of 3–40 characters that are not plain numbers.
CREATE FUNCTION catalogue_terms(document text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT word
    FROM regexp_split_to_table(lower(document), '[^[:alnum:]]+') AS word
   WHERE length(word) BETWEEN 3 AND 40 AND word !~ '^[0-9]+$'
$$;

-- Inserts: once per statement over all new rows (a 2 000-row seed batch is one INSERT … SELECT).
CREATE FUNCTION products_collect_terms_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_terms (term)
  SELECT DISTINCT catalogue_terms(concat_ws(' ', n.title, n.brand, n.category_text, n.description)) FROM new_products n
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_terms_insert
  AFTER INSERT ON "products"
  REFERENCING NEW TABLE AS new_products
  FOR EACH STATEMENT EXECUTE FUNCTION products_collect_terms_insert();

-- Updates: per row, and only when a searched text really changed (stock and price updates never get here).
-- Words are only ever added: a stale term costs nothing (it can only suggest a spelling that then matches less).
CREATE FUNCTION products_collect_terms_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_terms (term)
  SELECT catalogue_terms(concat_ws(' ', NEW.title, NEW.brand, NEW.category_text, NEW.description))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER products_terms_update
  AFTER UPDATE OF title, brand, category_text, description ON "products"
  FOR EACH ROW
  WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.brand IS DISTINCT FROM NEW.brand
        OR OLD.category_text IS DISTINCT FROM NEW.category_text OR OLD.description IS DISTINCT FROM NEW.description)
  EXECUTE FUNCTION products_collect_terms_update();

INSERT INTO search_terms (term)
SELECT DISTINCT catalogue_terms(concat_ws(' ', title, brand, category_text)) FROM products
ON CONFLICT DO NOTHING;
