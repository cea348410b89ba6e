import type { Response } from 'express';
import { sendCached, sendData } from '../../common/http';
import type { ActorContext } from '../../common/request-context';
import type { CategoryService } from './categories.service';
import type { CreateCategoryInput, UpdateCategoryInput } from './categories.schemas';

interface Http {
  res: Response;
}
interface SlugParams {
  params: { slug: string };
}

/** HTTP in/out for the category tree. */
export class CategoryController {
  constructor(private readonly categories: CategoryService) {}

  tree = async ({ res }: Http): Promise<void> => {
    sendCached(res, await this.categories.tree());
  };

  detail = async ({ res, params }: Http & SlugParams): Promise<void> => {
    sendCached(res, await this.categories.detail(params.slug));
  };

  create = async ({ res, body, context }: Http & { body: CreateCategoryInput; context: ActorContext }) => {
    const category = await this.categories.create(context, body);
    sendData(res, category, { status: 201, message: 'Category created' });
  };

  update = async ({
    res,
    params,
    body,
    context,
  }: Http & SlugParams & { body: UpdateCategoryInput; context: ActorContext }): Promise<void> => {
    const category = await this.categories.update(context, params.slug, body);
    sendData(res, category, { message: 'Category updated' });
  };

  delete = async ({ res, params, context }: Http & SlugParams & { context: ActorContext }): Promise<void> => {
    const deleted = await this.categories.delete(context, params.slug);
    sendData(res, deleted, { message: 'Category deleted' });
  };
}
