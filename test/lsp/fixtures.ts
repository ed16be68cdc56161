/** Experiment files the protocol tests open. Kept as strings so each test states exactly what it edits. */

export const VALID = `{
  // Shared by both experiments.
  "defaults": {
    "data": { "dataset": "moons", "samples": 200, "seed": 3 },
    "model": { "layers": [2, 5, 2, 1], "seed": 3 },
    "train": { "learningRate": 0.0007, "epochs": 100, "batchSize": 64 }
  },
  "experiments": {
    "gd": { "train": { "optimizer": "gd" } },
    "adam": {
      "model": { "init": "he" },
      "train": { "optimizer": "adam" }
    }
  }
}
`;

/** Has one unknown key, one bad enum value, one wrong layers[0] and one warning (zeros init). */
export const INVALID = `{
  "experiments": {
    "bad": {
      "data": { "dataset": "moon", "samples": 200 },
      "model": { "layers": [3, 4, 1], "init": "zeros" },
      "train": { "optimizer": "adam", "learningrate": 0.001, "epochs": 10 }
    }
  }
}
`;
