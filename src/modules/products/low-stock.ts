/**
 * The low-stock rule: a change alerts when it takes a product's stock from at least the threshold to below it, so
 * the order (or admin change) that crosses the line alerts once and the orders below it after do not. A restock
 * above the threshold re-arms it. A threshold of 0 never alerts.
 */
export function crossedBelowThreshold(previous: number, stock: number, threshold: number): boolean {
  return previous >= threshold && stock < threshold;
}
