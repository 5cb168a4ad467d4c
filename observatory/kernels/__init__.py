"""Pure numerical kernels: arrays and geometries in, arrays out, no file access."""
