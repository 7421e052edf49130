/* placeholder: being written */
typedef int dp_placeholder_grid_write_t;
