export declare const keepAlive: {
    /** Turns the mechanism on (programmed mules only); before that the channel stays ref'd. */
    enable(): void;
    hold(what: string): void;
    release(what: string): void;
};
