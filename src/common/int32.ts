/** The largest value a PostgreSQL `integer` column holds: the bound of every id, stock and count at the edge. */
export const INT32_MAX = 2_147_483_647;
