-- Category pages sorted by rating, date, title or stock: one index range of the category whatever the sort, with a
-- price range checked inside the index. Without them, "category + price range + sortBy=createdAt" let the planner
-- walk the global (is_active, created_at, id) index through the whole catalogue whenever the range matched little of
-- that category (p99 ≈ 450 ms at 100k products). Sorting by price already has
-- (category_id, is_active, price, id, rating, stock) from product_search.

-- CreateIndex
CREATE INDEX "products_category_id_is_active_rating_id_price_idx" ON "products"("category_id", "is_active", "rating", "id", "price");

-- CreateIndex
CREATE INDEX "products_category_id_is_active_created_at_id_price_idx" ON "products"("category_id", "is_active", "created_at", "id", "price");

-- CreateIndex
CREATE INDEX "products_category_id_is_active_title_id_price_idx" ON "products"("category_id", "is_active", "title", "id", "price");

-- CreateIndex
CREATE INDEX "products_category_id_is_active_stock_id_price_idx" ON "products"("category_id", "is_active", "stock", "id", "price");
