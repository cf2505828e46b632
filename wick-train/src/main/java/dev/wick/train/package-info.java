/**
 * Training: the {@link dev.wick.train.Trainer}, its hooks, and the public building blocks its loop is
 * made of.
 *
 * <pre>{@code
 * Trainer<Example<Tensor, Tensor>> trainer = Trainer.builder(model, opt, trainLoader, new CrossEntropyLoss()::forward)
 *         .maxEpochs(10).valLoader(valLoader).metrics(new Accuracy())
 *         .callbacks(new EarlyStopping("val_loss", Mode.MIN, 3, 0.0), new BestCheckpoints("val_acc", Mode.MAX, 3), new LastCheckpoint(500))
 *         .runDir(RunDir.create(Path.of("runs"), null))
 *         .build();
 * trainer.fit();                                   // or trainer.fit(run.lastCheckpoint()) to resume
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.wick.train.Trainer} and its builder; {@link dev.wick.train.StepFunction},
 *       {@link dev.wick.train.StepOutput}, {@link dev.wick.train.LossFunction}: what a batch's loss is;</li>
 *   <li>hooks ({@link dev.wick.train.Callback} lists their order): {@link dev.wick.train.OnTrainStart},
 *       {@link dev.wick.train.OnEpochStart}, {@link dev.wick.train.OnBatchEnd}, {@link dev.wick.train.OnStepEnd},
 *       {@link dev.wick.train.OnValidationEnd}, {@link dev.wick.train.OnEpochEnd}, {@link dev.wick.train.OnTrainEnd},
 *       seeing a {@link dev.wick.train.TrainContext};</li>
 *   <li>built-in callbacks: {@link dev.wick.train.EarlyStopping}, {@link dev.wick.train.BestCheckpoints},
 *       {@link dev.wick.train.LastCheckpoint}, {@link dev.wick.train.LearningRateMonitor},
 *       {@link dev.wick.train.ProgressBar};</li>
 *   <li>building blocks: {@link dev.wick.train.Evaluation} (a validation pass), {@link dev.wick.train.MetricsLog}
 *       (JSONL + CSV), {@link dev.wick.train.Plots} (PNG), {@link dev.wick.train.RunDir} (the run folder's
 *       layout); gradient clipping is {@code dev.wick.optim.GradClip}; checkpoints are
 *       {@code dev.wick.checkpoint.TrainingCheckpoint}.</li>
 *   <li>data-parallel runs: the same trainer on every rank, with a {@code DistributedDataParallel}
 *       model and a {@code DistributedSampler} (see the Trainer's "Data-parallel runs").</li>
 * </ul>
 */
package dev.wick.train;
