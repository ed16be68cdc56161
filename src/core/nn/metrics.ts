/** Classification accuracy: the fraction of examples whose predicted label equals Y (the course's np.mean(p == y)). */
import type { Dataset, ModelConfig, Parameters } from '../types';
import { predict } from './predict';

export function accuracy(params: Parameters, model: ModelConfig, data: Dataset): number {
  const labels = predict(params, model, data.X);
  const Y = data.Y.data;
  let correct = 0;
  for (let j = 0; j < labels.length; j++) if (labels[j] === Y[j]) correct++;
  return correct / labels.length;
}
