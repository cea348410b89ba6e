import type { Response } from 'express';
import { sendCached, sendData } from '../../common/http';
import type { ActorContext } from '../../common/request-context';
import type { CategoryService } from '../categories/categories.service';
import type {
  CreateProductInput,
  ProductListQuery,
  StockInput,
  UpdateProductInput,
} from './products.schemas';
import type { ListRequest, ProductService } from './products.service';

interface Http {
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

  create = async ({ res, body, context }: Http & { body: CreateProductInput; context: ActorContext }) => {
    const product = await this.products.create(context, body);
    sendData(res, product, { status: 201, message: 'Product created' });
  };

  update = async ({
    res,
    params,
    body,
    context,
  }: Http & IdParams & { body: UpdateProductInput; context: ActorContext }): Promise<void> => {
    sendData(res, await this.products.update(context, params.id, body), {
      message: 'Product updated',
    });
  };

  delete = async ({ res, params, context }: Http & IdParams & { context: ActorContext }): Promise<void> => {
    sendData(res, await this.products.delete(context, params.id), {
      message: 'Product deleted',
    });
  };

  adjustStock = async ({
    res,
    params,
    body,
    context,
  }: Http & IdParams & { body: StockInput; context: ActorContext }): Promise<void> => {
    sendData(res, await this.products.adjustStock(context, params.id, body), {
      message: 'Stock updated',
    });
  };
}
