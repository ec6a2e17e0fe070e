import { describe, expect, it } from 'vitest';
import { fitLogistic, logit, sigmoid } from '../../src/answer/logistic.js';

describe('fitLogistic', () => {
  it('given a separable feature, learns a positive weight and ranks positives above negatives', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ a: i / 40, noise: (i * 7) % 5 }));
    const labels = rows.map((r) => (r.a > 0.5 ? 1 : 0));
    const model = fitLogistic(['a', 'noise'], rows, labels);
    expect(model.weights[0]).toBeGreaterThan(1);
    expect(sigmoid(logit(model, { a: 0.9, noise: 2 }))).toBeGreaterThan(0.8);
    expect(sigmoid(logit(model, { a: 0.1, noise: 2 }))).toBeLessThan(0.2);
  });

  it('is deterministic', () => {
    const rows = [{ a: 0 }, { a: 1 }, { a: 0.4 }, { a: 0.8 }];
    expect(fitLogistic(['a'], rows, [0, 1, 0, 1])).toEqual(fitLogistic(['a'], rows, [0, 1, 0, 1]));
  });

  it('treats a feature that is not given as its training mean (it moves nothing)', () => {
    const model = fitLogistic(
      ['a', 'b'],
      [
        { a: 0, b: 0 },
        { a: 1, b: 1 },
        { a: 0, b: 1 },
        { a: 1, b: 0 },
      ],
      [0, 1, 0, 1],
    );
    const withMean = logit(model, { a: 1, b: model.mean[1]! });
    expect(logit(model, { a: 1 })).toBeCloseTo(withMean, 10);
    expect(logit(model, { a: 1, b: undefined })).toBeCloseTo(withMean, 10);
  });
});
