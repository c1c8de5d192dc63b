package secretsmanager

// RegionOf exposes regionOf to the functions' tests.
var RegionOf = regionOf
