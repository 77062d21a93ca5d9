/**
 * Nelder–Mead: minimises a function of a few parameters without derivatives. Deterministic (the same start
 * gives the same answer), which a measurement that must be reproducible needs; enough for the two or three
 * parameters of a fitted curve, where a library would be more than the problem.
 */
export interface Minimum {
  point: number[];
  value: number;
}

export function nelderMead(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  steps: readonly number[],
  { iterations = 400, tolerance = 1e-9 } = {},
): Minimum {
  const evaluate = (point: number[]): Minimum => {
    const value = objective(point);
    return { point, value: Number.isFinite(value) ? value : Number.POSITIVE_INFINITY };
  };
  const simplex: Minimum[] = [evaluate([...start])];
  for (const [axis, step] of steps.entries()) {
    const point = [...start];
    point[axis] = point[axis]! + step;
    simplex.push(evaluate(point));
  }
  const combine = (from: readonly number[], to: readonly number[], share: number) =>
    from.map((value, axis) => value + share * (to[axis]! - value));
  for (let iteration = 0; iteration < iterations; iteration++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex.at(-1)!;
    if (Math.abs(worst.value - best.value) <= tolerance * (1 + Math.abs(best.value))) break;
    const others = simplex.slice(0, -1);
    const centroid = start.map(
      (_, axis) => others.reduce((sum, vertex) => sum + vertex.point[axis]!, 0) / others.length,
    );
    const reflected = evaluate(combine(centroid, worst.point, -1));
    if (reflected.value < best.value) {
      const expanded = evaluate(combine(centroid, worst.point, -2));
      simplex[simplex.length - 1] = expanded.value < reflected.value ? expanded : reflected;
      continue;
    }
    if (reflected.value < simplex.at(-2)!.value) {
      simplex[simplex.length - 1] = reflected;
      continue;
    }
    const contracted = evaluate(combine(centroid, worst.point, 0.5));
    if (contracted.value < worst.value) {
      simplex[simplex.length - 1] = contracted;
      continue;
    }
    // Nothing along the line helps: shrink every vertex towards the best.
    for (let index = 1; index < simplex.length; index++) {
      simplex[index] = evaluate(combine(best.point, simplex[index]!.point, 0.5));
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0]!;
}
