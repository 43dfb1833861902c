"""Early warning and attribution on a plain monthly panel: numpy, pandas, scikit-learn and diff-diff, no Django."""
