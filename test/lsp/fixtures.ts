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

/** Two errors with suggestions: an unknown enum value (a value range) and an unknown key (a key range). */
export const INVALID = `{
  "experiments": {
    "bad": {
      "data": { "dataset": "moon", "samples": 200 },
      "model": { "layers": [2, 4, 1] },
      "train": { "optimizer": "adam", "learningrate": 0.001, "epochs": 10 }
    }
  }
}
`;

/** Valid keys, but layers[0] does not match moons' two features. */
export const LAYERS = `{
  "experiments": {
    "wide": {
      "data": { "dataset": "moons" },
      "model": { "layers": [3, 4, 1] }
    }
  }
}
`;

/** Valid, but a tutor would object: zeros init, a learning rate above 1, batches larger than the data set. */
export const WARNINGS = `{
  "experiments": {
    "risky": {
      "data": { "dataset": "circles", "samples": 100 },
      "model": { "layers": [2, 4, 1], "init": "zeros" },
      "train": { "learningRate": 2, "batchSize": 500, "epochs": 10 }
    }
  }
}
`;

/** For the CLI comparison: errors in one experiment, tutor warnings in the other (which runs, briefly). */
export const PARITY = `{
  "experiments": {
    "bad": {
      "data": { "dataset": "moon", "samples": 200 },
      "model": { "layers": [2, 4, 1] },
      "train": { "optimizer": "adam", "learningrate": 0.001, "epochs": 10 }
    },
    "risky": {
      "data": { "dataset": "circles", "samples": 100 },
      "model": { "layers": [2, 4, 1], "init": "zeros" },
      "train": { "learningRate": 2, "batchSize": 500, "epochs": 2 }
    }
  }
}
`;
