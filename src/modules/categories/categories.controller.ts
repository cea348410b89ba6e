import type { Request, Response } from 'express';
import type { AuthUser } from '../../common/auth-user';
import { sendCached, sendData } from '../../common/http';
import { requestMeta } from '../../common/request-meta';
import type { CategoryService } from './categories.service';
import type { CreateCategoryInput, UpdateCategoryInput } from './categories.schemas';

interface Http {
  req: Request;
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

  create = async ({ req, res, body, user }: Http & { body: CreateCategoryInput; user: AuthUser }) => {
    const category = await this.categories.create(body, user, requestMeta(req, res));
    sendData(res, category, { status: 201, message: 'Category created' });
  };

  update = async ({
    req,
    res,
    params,
    body,
    user,
  }: Http & SlugParams & { body: UpdateCategoryInput; user: AuthUser }): Promise<void> => {
    const category = await this.categories.update(params.slug, body, user, requestMeta(req, res));
    sendData(res, category, { message: 'Category updated' });
  };

  delete = async ({ req, res, params, user }: Http & SlugParams & { user: AuthUser }): Promise<void> => {
    const deleted = await this.categories.delete(params.slug, user, requestMeta(req, res));
    sendData(res, deleted, { message: 'Category deleted' });
  };
}
