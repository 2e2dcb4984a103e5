package io.lossprism.model.onednn;

/**
 * The sizes of one 2-D convolution in oneDNN's terms (NCHW, weights [out, in, kh, kw]): a primitive is
 * built for one geometry. Dilation counts as oneDNN does (0 = dense), padding on each side apart; the
 * bottom and right padding follow from the output size, as DL4J's Same and Truncate modes fix it.
 */
record ConvolutionGeometry(
        long batch,
        long inChannels,
        long inHeight,
        long inWidth,
        long outChannels,
        long outHeight,
        long outWidth,
        long kernelHeight,
        long kernelWidth,
        long strideHeight,
        long strideWidth,
        long dilationHeight,
        long dilationWidth,
        long padTop,
        long padLeft) {

    /** From DL4J's arguments: dilation 1 = dense, padding the top-left one. */
    static ConvolutionGeometry of(
            long[] input, long[] weights, long outHeight, long outWidth, int[] strides, int[] pad, int[] dilation) {
        return new ConvolutionGeometry(
                input[0],
                input[1],
                input[2],
                input[3],
                weights[0],
                outHeight,
                outWidth,
                weights[2],
                weights[3],
                strides[0],
                strides[1],
                dilation[0] - 1L,
                dilation[1] - 1L,
                pad[0],
                pad[1]);
    }

    long padBottom() {
        return (outHeight - 1) * strideHeight + (kernelHeight - 1) * (dilationHeight + 1) + 1 - inHeight - padTop;
    }

    long padRight() {
        return (outWidth - 1) * strideWidth + (kernelWidth - 1) * (dilationWidth + 1) + 1 - inWidth - padLeft;
    }

    /** Whether oneDNN can take it as it is: padding on no side negative (Truncate mode can ask for that). */
    boolean supported() {
        return padTop >= 0 && padLeft >= 0 && padBottom() >= 0 && padRight() >= 0;
    }

    long[] source() {
        return new long[] {batch, inChannels, inHeight, inWidth};
    }

    long[] weights() {
        return new long[] {outChannels, inChannels, kernelHeight, kernelWidth};
    }

    long[] bias() {
        return new long[] {outChannels};
    }

    long[] destination() {
        return new long[] {batch, outChannels, outHeight, outWidth};
    }

    long[] strides() {
        return new long[] {strideHeight, strideWidth};
    }

    long[] dilation() {
        return new long[] {dilationHeight, dilationWidth};
    }

    long[] paddingBefore() {
        return new long[] {padTop, padLeft};
    }

    long[] paddingAfter() {
        return new long[] {padBottom(), padRight()};
    }
}
