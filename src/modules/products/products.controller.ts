import type { Request, Response } from 'express';
import type { AuthUser } from '../../common/auth-user';
import { sendCached, sendData } from '../../common/http';
import { requestMeta } from '../../common/request-meta';
import type { CategoryService } from '../categories/categories.service';
import type {
  CreateProductInput,
  ProductListQuery,
  StockInput,
  UpdateProductInput,
} from './products.schemas';
import type { ListRequest, ProductService } from './products.service';

interface Http {
  req: Request;
  res: Response;
}
interface IdParams {
  params: { id: number };
}

/** HTTP in/out for products: validated input in, envelope out; cached reads are sent as their stored bytes. */
export class ProductController {
  constructor(
    private readonly products: ProductService,
    private readonly categories: CategoryService,
  ) {}

  list = async ({ res, query }: Http & { query: ProductListQuery }): Promise<void> => {
    sendCached(res, await this.products.list(query));
  };

  byCategory = async ({
    res,
    params,
    query,
  }: Http & { params: { slug: string }; query: Omit<ListRequest, 'category'> }): Promise<void> => {
    sendCached(res, await this.products.list({ ...query, category: params.slug }, 'category'));
  };

  detail = async ({ res, params }: Http & IdParams): Promise<void> => {
    sendCached(res, await this.products.get(params.id));
  };

  brands = async ({ res }: Http): Promise<void> => {
    sendCached(res, await this.products.brands());
  };

  categorySummaries = async ({ res }: Http): Promise<void> => {
    sendCached(res, await this.categories.summaries());
  };

  create = async ({ req, res, body, user }: Http & { body: CreateProductInput; user: AuthUser }) => {
    const product = await this.products.create(body, user, requestMeta(req, res));
    sendData(res, product, { status: 201, message: 'Product created' });
  };

  update = async ({
    req,
    res,
    params,
    body,
    user,
  }: Http & IdParams & { body: UpdateProductInput; user: AuthUser }): Promise<void> => {
    sendData(res, await this.products.update(params.id, body, user, requestMeta(req, res)), {
      message: 'Product updated',
    });
  };

  delete = async ({ req, res, params, user }: Http & IdParams & { user: AuthUser }): Promise<void> => {
    sendData(res, await this.products.delete(params.id, user, requestMeta(req, res)), {
      message: 'Product deleted',
    });
  };

  adjustStock = async ({
    req,
    res,
    params,
    body,
    user,
  }: Http & IdParams & { body: StockInput; user: AuthUser }): Promise<void> => {
    sendData(res, await this.products.adjustStock(params.id, body, user, requestMeta(req, res)), {
      message: 'Stock updated',
    });
  };
}
