# Bar chart of Cadre/Linux cost ratios for docs/benchmarks.md; run-bench passes datafile, outfile, title, ymin, ymax.
# datafile: one "label ratio" line per figure; below 1 means Cadre is better.
set terminal pngcairo size 900,480 font ",10" noenhanced
set output outfile
set title title
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set logscale y 10
# run-bench passes ymin/ymax so the parity line at 1 always shows, with room on both sides.
set yrange [ymin:ymax]
set ylabel "Cadre cost / Linux cost (log scale; < 1: Cadre better)"
set xtics rotate by -35 left
set grid ytics
set key off
set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb "#444444"
plot datafile using 2:xtic(1) lc rgb "#3a78b5"
