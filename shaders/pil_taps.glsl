// PIL's bilinear resampling along one axis (Resample.c, precompute_coeffs), shared by both resample passes:
// output sample i of a box starting at in0 with scale = box size / output size reads source samples
// [first, last) with triangle weights whose support grows with the downscale (support = max(scale, 1)).
// The caller divides by the weight sum, as PIL normalizes its coefficients.
struct PilTaps
{
    int first;
    int last;
    float center;
    float inverse;
};

PilTaps pilTaps(int i, float in0, float scale, float support, int inSize)
{
    float center = in0 + (float(i) + 0.5) * scale;
    return PilTaps(max(int(center - support + 0.5), 0), min(int(center + support + 0.5), inSize), center, 1.0 / support);
}

float pilWeight(PilTaps taps, int s)
{
    return max(1.0 - abs((float(s) - taps.center + 0.5) * taps.inverse), 0.0);
}
