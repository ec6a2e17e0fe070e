/**
 * Logistic regression: the small learned models of the answer module (which candidate answers, and how likely the
 * chosen answer is right). Features are standardised with the training mean and deviation stored in the model, so
 * the weights are comparable and the model file says what it expects.
 */

/** A trained model as stored in JSON. */
export interface LogisticModel {
  readonly features: readonly string[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
}

/** The model's log-odds for a feature record. */
export function logit(model: LogisticModel, features: Readonly<Record<string, number | undefined>>): number {
  let z = model.bias;
  model.features.forEach((name, i) => {
    // A feature not given (the dense similarity of a fast answer) counts as average: it moves nothing.
    const x = features[name] ?? model.mean[i] ?? 0;
    z += (model.weights[i] ?? 0) * ((x - (model.mean[i] ?? 0)) / (model.std[i] || 1));
  });
  return z;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Options of {@link fitLogistic}. */
export interface FitOptions {
  /** L2 penalty on the weights (not the bias). */
  readonly l2?: number;
  readonly iterations?: number;
  readonly learningRate?: number;
  /** Weight of each example (default 1); used to give every question the same say whatever its candidate count. */
  readonly sampleWeights?: readonly number[];
}

/**
 * Fits a logistic regression by full-batch gradient descent on standardised features. Deterministic: the same
 * data gives the same model.
 */
export function fitLogistic(
  names: readonly string[],
  rows: readonly Readonly<Record<string, number>>[],
  labels: readonly number[],
  options: FitOptions = {},
): LogisticModel {
  const l2 = options.l2 ?? 0.01;
  const iterations = options.iterations ?? 3000;
  const rate = options.learningRate ?? 0.5;
  const n = rows.length;
  const d = names.length;
  const sw = options.sampleWeights ?? rows.map(() => 1);
  const totalWeight = sw.reduce((a, b) => a + b, 0) || 1;
  const mean = names.map((f) => rows.reduce((a, r) => a + (r[f] ?? 0), 0) / Math.max(1, n));
  const std = names.map((f, j) => {
    const v = rows.reduce((a, r) => a + ((r[f] ?? 0) - mean[j]!) ** 2, 0) / Math.max(1, n);
    return Math.sqrt(v) || 1;
  });
  const x = rows.map((r) => names.map((f, j) => ((r[f] ?? 0) - mean[j]!) / std[j]!));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * xi[j]!;
      const err = (sigmoid(z) - labels[i]!) * sw[i]!;
      for (let j = 0; j < d; j++) gw[j]! += err * xi[j]!;
      gb += err;
    }
    for (let j = 0; j < d; j++) w[j] = w[j]! - rate * (gw[j]! / totalWeight + l2 * w[j]!);
    b -= rate * (gb / totalWeight);
  }
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    features: [...names],
    mean: mean.map(round),
    std: std.map(round),
    weights: w.map(round),
    bias: round(b),
  };
}
